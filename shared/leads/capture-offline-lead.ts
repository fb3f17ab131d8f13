import { type CaptureAnswer, type CaptureDeps, captureLead } from './capture-lead.ts';
import { formatIssues } from './lead-submission.ts';
import { OfflineLeadBody, offlineSubmissionOf } from './offline-lead.ts';
import type { RateLimiter } from './ports.ts';

/**
 * The bank's own submissions are not a client to rate-limit: the limit guards the public form against
 * floods, and an acquisition manager is signed in and recorded with each lead.
 */
const unlimited: RateLimiter = { hit: async () => ({ allowed: true }) };

/**
 * A lead an acquisition manager met offline, through the web form's own capture path: the same dedupe
 * into an enquiry, the same stream to scoring and routing, the same PM's email. The bank attributes it:
 * the configured channel's attribution channel, the staff member who recorded it, the event it came from.
 */
export async function captureOfflineLead(
  deps: CaptureDeps,
  request: { by: string; body: unknown; idempotencyKey?: string },
): Promise<CaptureAnswer> {
  const parsed = OfflineLeadBody.safeParse(request.body);
  if (!parsed.success) return { kind: 'invalid', issues: formatIssues(parsed.error) };
  const { submission, origin, channel } = offlineSubmissionOf(parsed.data, request.by);
  return captureLead(
    { ...deps, rateLimiter: unlimited },
    {
      channel: channel.attributionChannel,
      body: submission,
      // Nobody's browser: the rate limit is not asked, and the evidence keeps who recorded it instead.
      clientAddress: `staff:${request.by}`,
      offline: origin,
      ...(request.idempotencyKey !== undefined ? { idempotencyKey: request.idempotencyKey } : {}),
    },
  );
}
