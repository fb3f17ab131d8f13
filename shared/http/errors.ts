import * as z from 'zod';

/** Every `code` an Attract error answer may carry; clients branch on these, never on the message. */
export const ERROR_CODES = [
  'validation_failed',
  'malformed_json',
  'unsupported_media_type',
  'payload_too_large',
  'idempotency_conflict',
  'roster_conflict',
  'decided',
  'reassigned',
  'stale',
  'not_accepted',
  'assigned',
  'hash_mismatch',
  // A campaign asked to do what its state does not allow (shared/campaigns/keep-campaigns.ts).
  'offer_not_approved',
  'audience_not_frozen',
  'not_a_draft',
  'not_running',
  'not_paused',
  'ended',
  'not_draft',
  'not_frozen',
  'discarded',
  'not_uploaded',
  // An open day changed or cancelled once cancelled, held or begun (shared/open-days/change-open-day.ts).
  'open_day_not_open',
  'upload_mismatch',
  'rate_limited',
  'too_many_enquiries',
  // An open day's registration asked what its state does not allow (shared/open-days/register.ts).
  'registration_closed',
  'not_held',
  'offer_expired',
  'not_offered',
  // A check-in at an open day's door refused (shared/open-days/check-in.ts).
  'check_in_closed',
  'not_confirmed',
  'invalid_code',
  'other_open_day',
  // A consent text's version id names another text already (shared/consents/consent-text.ts).
  'version_taken',
  // The referral programme (shared/referrals/programme.ts): no client of the INN; a review with nothing to do.
  'not_a_client',
  'not_flagged',
  'already_reviewed',
  'unauthorized',
  'forbidden',
  'not_found',
  'internal_error',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const FieldIssue = z.strictObject({
  path: z.string().meta({ description: 'Where the fault is, e.g. `company.inn`, `query.limit`' }),
  message: z.string(),
});
export type Issue = z.infer<typeof FieldIssue>;

/** The body of every error Attract answers itself; the error middleware in api.ts builds it. */
export const ErrorBody = z
  .strictObject({
    error: z.strictObject({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      issues: z.array(FieldIssue).optional(),
    }),
  })
  .meta({
    id: 'Error',
    description: 'Every 4xx and 5xx answer of Attract; `issues` name the fields at fault',
  });

/** What API Gateway answers itself (an HTTP API cannot reshape these): a refused token, throttling, no route. */
export const GatewayError = z.strictObject({ message: z.string() }).meta({
  id: 'GatewayError',
  description:
    'Answered by API Gateway itself, not by Attract: `Unauthorized` (the JWT authorizer refused the token), `Too Many Requests` (stage throttling), `Not Found` (no such route), `Request Entity Too Large` (over 10 MB), `Internal Server Error` (the function failed)',
});

/** An answer other than success; the error middleware turns it into a JSON response. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly issues?: Issue[];
  readonly headers?: Record<string, string>;

  constructor(
    status: number,
    code: ErrorCode,
    message: string,
    extra: { issues?: Issue[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    if (extra.issues) this.issues = extra.issues;
    if (extra.headers) this.headers = extra.headers;
  }
}

/** The JSON body of an error answer, typed by the schema the API description publishes. */
export function errorBody(code: ErrorCode, message: string, issues?: Issue[]): z.input<typeof ErrorBody> {
  return { error: { code, message, ...(issues ? { issues } : {}) } };
}
