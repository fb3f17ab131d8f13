import { errors } from 'jose';

/** Why a signed link's token was refused, in the words every link reader of the bank answers with. */
export type TokenRefusal = 'expired' | 'bad_signature' | 'wrong_purpose' | 'malformed';

/**
 * What jose's refusal of a signed token means: its time is up, its signature is not ours, it was signed for
 * another purpose (audience or issuer), or it is no token of ours at all. Any other error is not about the
 * token and is thrown on.
 */
export function tokenRefusal(error: unknown): TokenRefusal {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad_signature';
  if (
    error instanceof errors.JWTClaimValidationFailed &&
    error.reason === 'check_failed' &&
    (error.claim === 'aud' || error.claim === 'iss')
  ) {
    return 'wrong_purpose';
  }
  if (error instanceof errors.JOSEError) return 'malformed';
  throw error;
}
