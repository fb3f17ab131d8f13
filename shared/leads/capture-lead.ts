import type { Keys } from '../access/keys.ts';
import { sourceCountOf } from '../ad-spend/source-count.ts';
import { checkConsents, consentEvidence, userAgentOf, versionsOf } from '../consents/evidence.ts';
import type { ConsentTexts } from '../consents/ports.ts';
import { addressHashOf } from '../letters/unsubscribe.ts';
import { referralWriteOf } from '../referrals/referral.ts';
import { type ReferralRules, referralRules } from '../referrals/rules.ts';
import { attribute } from './attribution.ts';
import { enquiryEntry, enquiryOf } from './enquiry.ts';
import { regionCodeOfInn } from './inn.ts';
import { addDays, discardedLeadId, duplicateKeysOf, type Lead, sha256 } from './lead.ts';
import {
  type Channel,
  formatIssues,
  IDEMPOTENCY_KEY,
  isHoneypotHit,
  LeadSubmission,
} from './lead-submission.ts';
import type { OfflineOrigin } from './offline-lead.ts';
import type { IdempotencyClaim, Leads, RateLimiter, Referrers } from './ports.ts';
import { enquiryTouchOf } from './touch.ts';

export type CaptureDeps = {
  leads: Pick<Leads, 'capture' | 'get' | 'addEnquiry'>;
  rateLimiter: RateLimiter;
  referrers: Referrers;
  /** The published consent texts a form's consents must cite. */
  consentTexts: Pick<ConsentTexts, 'find'>;
  keys: Keys;
  duplicateWindowDays: number;
  now: () => Date;
  /** New lead and enquiry ids. */
  newId: () => string;
  /** How many later enquiries one lead keeps (MAX_ENQUIRIES_PER_LEAD, smaller in tests). */
  enquiryLimit: number;
  /** The referral programme's rules (shared/referrals/config); tests tune them. */
  referralRules?: ReferralRules;
};

/** `channel` is the route's: the public web form is `web`, whatever its body says. */
export type CaptureRequest = {
  channel: Channel;
  body: unknown;
  idempotencyKey?: string;
  clientAddress: string;
  /** The browser's `User-Agent`, kept (truncated) with the evidence of the consents. */
  userAgent?: string;
  /**
   * The consents' evidence was kept where the person gave them (an open day's registration, for the bank's
   * own submission of an attendee): none is recorded again, so a withdrawal since stays the latest word.
   */
  consentsOnRecord?: boolean;
  /**
   * A lead an acquisition manager met offline (POST /v1/offline-leads): kept on the lead, counted under its
   * channel and event, and its consents' evidence names who recorded them, not a browser's address.
   */
  offline?: OfflineOrigin;
};

export type CaptureAnswer =
  | { kind: 'accepted'; leadId: string; outcome: 'created' | 'enquiry' | 'replayed' | 'discarded' }
  | { kind: 'invalid'; issues: { path: string; message: string }[] }
  | { kind: 'rate_limited'; retryAfterSeconds: number }
  | { kind: 'idempotency_conflict' }
  | { kind: 'enquiry_limit_reached' };

const IDEMPOTENCY_HOURS = 24;

/**
 * A company's enquiry from a web form: stored once, whatever the retries. A first enquiry is a new lead,
 * which reaches its workflow through the table stream; a later one about the same email or INN is kept
 * in full on that lead, never folded away.
 */
export async function captureLead(deps: CaptureDeps, request: CaptureRequest): Promise<CaptureAnswer> {
  const now = deps.now();
  const clientKey = deps.keys.hash('client_address', request.clientAddress);
  const rate = await deps.rateLimiter.hit(clientKey, now.getTime());
  if (!rate.allowed) return { kind: 'rate_limited', retryAfterSeconds: rate.retryAfterSeconds };

  if (request.idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(request.idempotencyKey)) {
    return {
      kind: 'invalid',
      issues: [{ path: 'headers.idempotency-key', message: 'Must be 1 to 255 visible ASCII characters' }],
    };
  }
  const parsed = LeadSubmission.safeParse(request.body);
  if (!parsed.success) return { kind: 'invalid', issues: formatIssues(parsed.error) };
  const submission = parsed.data;
  // A bot filled the hidden field: keep nothing, and answer as a person would be answered, down to the
  // same lead id for the same company each time, so repeating the submission teaches it nothing either.
  if (isHoneypotHit(submission)) {
    return {
      kind: 'accepted',
      leadId: discardedLeadId(deps.keys, submission.company.inn),
      outcome: 'discarded',
    };
  }

  // Each consent must cite a published text of its own purpose: evidence of an unknown text proves nothing.
  const published = await deps.consentTexts.find(versionsOf(submission.consents));
  const consentIssues = checkConsents(submission.consents, published);
  if (consentIssues.length > 0) return { kind: 'invalid', issues: consentIssues };

  const receivedAt = now.toISOString();
  const { fax: _honeypot, source: _claims, ...fields } = submission;
  const attribution = await attribute(deps, request.channel, submission);
  const lead: Lead = {
    leadId: deps.newId(),
    status: 'received',
    receivedAt,
    ...fields,
    attribution,
    regionCode: regionCodeOfInn(submission.company.inn),
    ...(request.offline ? { offline: request.offline } : {}),
  };
  const idempotency: IdempotencyClaim | undefined = request.idempotencyKey
    ? {
        key: request.idempotencyKey,
        // An offline lead's origin is part of the request: the same key for another event is a conflict.
        fingerprint: sha256(JSON.stringify(request.offline ? [request.body, request.offline] : request.body)),
        until: new Date(now.getTime() + IDEMPOTENCY_HOURS * 3_600_000).toISOString(),
      }
    : undefined;
  // A signed invitation that names a prospect (a letter's link): the campaign learns they answered.
  const { campaignId, prospectId } = attribution;
  const response =
    campaignId && prospectId ? { campaignId, prospectId, leadId: lead.leadId, at: receivedAt } : undefined;
  // The consents' evidence is written with what the form made (the lead, or the enquiry), never alone.
  const evidenceOf = (subject: { leadId: string; enquiryId?: string }) =>
    request.consentsOnRecord
      ? []
      : consentEvidence({
          consents: submission.consents,
          published,
          emailHash: addressHashOf(deps.keys, submission.contact.email),
          subject,
          at: receivedAt,
          channel: request.channel,
          // Met offline: the address is the staff member's, not the person's; who recorded it is kept.
          client: request.offline
            ? {}
            : { ip: request.clientAddress, userAgent: userAgentOf(request.userAgent) },
          ...(request.offline ? { by: request.offline.recordedBy } : {}),
        });
  const sourceCount = sourceCountOf(lead);
  const referral = referralWriteOf(deps.keys, lead, deps.referralRules ?? referralRules);
  const result = await deps.leads.capture({
    lead,
    evidence: evidenceOf({ leadId: lead.leadId }),
    duplicateKeys: duplicateKeysOf(deps.keys, submission),
    duplicateUntil: addDays(receivedAt, deps.duplicateWindowDays),
    ...(idempotency ? { idempotency } : {}),
    ...(response ? { response } : {}),
    // Counted only if the lead is new: the count is written with it, or not at all.
    ...(sourceCount ? { sourceCount } : {}),
    // The referral a valid code made: kept with the lead, or not at all (docs/referrals.md).
    ...(referral ? { referral } : {}),
  });
  if (result.outcome === 'idempotency_conflict') return { kind: 'idempotency_conflict' };
  if (result.outcome !== 'held') return { kind: 'accepted', leadId: result.leadId, outcome: result.outcome };

  // Another lead holds the email or INN: this submission is kept on it as an enquiry of its own.
  const first = await deps.leads.get(result.leadId);
  if (!first) throw new Error(`Lead ${result.leadId} holds a claim but is not stored`);
  const { leadId: _unused, status: _new, ...submitted } = lead;
  const enquiry = enquiryOf(first, submitted, result.matchedBy, deps.newId());
  const added = await deps.leads.addEnquiry({
    enquiry,
    entry: enquiryEntry(enquiry),
    touch: enquiryTouchOf(enquiry),
    evidence: evidenceOf({ leadId: first.leadId, enquiryId: enquiry.enquiryId }),
    ...(idempotency ? { idempotency } : {}),
    // The answer belongs to the lead that holds the company.
    ...(response ? { response: { ...response, leadId: first.leadId } } : {}),
    limit: deps.enquiryLimit,
  });
  switch (added.outcome) {
    case 'idempotency_conflict':
      return { kind: 'idempotency_conflict' };
    case 'limit_reached':
      return { kind: 'enquiry_limit_reached' };
    case 'added':
      return { kind: 'accepted', leadId: added.leadId, outcome: 'enquiry' };
    case 'replayed':
      return { kind: 'accepted', leadId: added.leadId, outcome: 'replayed' };
  }
}
