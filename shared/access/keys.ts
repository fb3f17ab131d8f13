import { createHmac, hkdfSync } from 'node:crypto';

/** What a key is for. Each purpose has a key of its own, so one that leaks or is misused opens no other. */
export const KEY_PURPOSES = [
  'email',
  'inn',
  'client_address',
  'discarded_lead',
  'invitation_link',
  'manager_decision_link',
  'letter_unsubscribe',
  'open_day_registration',
  'consent_withdrawal',
  'referral_status',
] as const;
export type KeyPurpose = (typeof KEY_PURPOSES)[number];

/**
 * Purposes whose key signs links (HS256). A PM's accept and decline links have a key of their own, so a
 * campaign manager who can issue invitations cannot sign a decision on a lead, nor the other way round; a
 * letter's unsubscribe token has its own (shared/letters/unsubscribe.ts), and so do an open day's
 * registration links and check-in codes (shared/open-days/registration-link.ts), and a person's link to
 * withdraw a consent (shared/consents/withdrawal-link.ts), and a referrer's status page
 * (shared/referrals/status-link.ts).
 */
export type SigningPurpose =
  | 'invitation_link'
  | 'manager_decision_link'
  | 'letter_unsubscribe'
  | 'open_day_registration'
  | 'consent_withdrawal'
  | 'referral_status';

/** Purposes whose key makes a keyed hash (HMAC-SHA256). */
export type HashPurpose = Exclude<KeyPurpose, SigningPurpose>;

/** Below this, the secret is not a secret; the secret the infrastructure generates has 64 characters. */
const MIN_MATERIAL_LENGTH = 32;

/**
 * The bank's keys, derived from the one key secret (Secrets Manager) with HKDF. Hashes of emails, INNs and
 * client addresses are keyed: without the secret, nobody can reverse a stored hash by hashing every email
 * or INN there is. Changing the secret changes every hash: duplicates stop matching until leads are re-keyed.
 */
export class Keys {
  private readonly byPurpose: ReadonlyMap<KeyPurpose, Buffer>;

  private constructor(byPurpose: ReadonlyMap<KeyPurpose, Buffer>) {
    this.byPurpose = byPurpose;
  }

  static derive(material: string): Keys {
    if (material.length < MIN_MATERIAL_LENGTH) {
      throw new Error(`The key secret must have at least ${MIN_MATERIAL_LENGTH} characters`);
    }
    return new Keys(
      new Map(
        KEY_PURPOSES.map((purpose) => [
          purpose,
          Buffer.from(hkdfSync('sha256', material, 'attract', `attract:${purpose}`, 32)),
        ]),
      ),
    );
  }

  /** A keyed hash of `value`, hex: the same value gives the same hash, for this secret only. */
  hash(purpose: HashPurpose, value: string): string {
    return createHmac('sha256', this.key(purpose)).update(value).digest('hex');
  }

  /** The key that signs and checks links of this kind. */
  signingKey(purpose: SigningPurpose): Uint8Array {
    return this.key(purpose);
  }

  private key(purpose: KeyPurpose): Buffer {
    const key = this.byPurpose.get(purpose);
    if (!key) throw new Error(`No key for ${purpose}`);
    return key;
  }
}
