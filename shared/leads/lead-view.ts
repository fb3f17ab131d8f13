import * as z from 'zod';
import { ASSIGNMENT_KINDS } from '#events/lead-events.ts';
import type { StaffMember } from '../access/roles.ts';
import { DUE_BASES } from '../managers/acceptance-sla.ts';
import { SEGMENTS } from '../managers/roster.ts';
import { RoutingRecord } from '../managers/routing-policy.ts';
import { REFERRAL_FLAGS } from '../referrals/referral.ts';
import type { Templates } from '../templates/render.ts';
import { REFERRAL_REFUSALS } from './attribution.ts';
import { INVITATION_REFUSALS } from './invitation.ts';
import {
  ENQUIRY_SIGNALS,
  type Enquiry,
  LEAD_STATUSES,
  type Lead,
  TIMELINE_KINDS,
  type TimelineEntry,
} from './lead.ts';
import { CHANNELS, LeadSource, LeadSubmission } from './lead-submission.ts';
import { OfflineOriginView, offlineOriginView } from './offline-lead.ts';
import type { LeadRecord } from './ports.ts';
import { LEAD_CLASSES } from './scoring.ts';
import { ScoringConfig } from './scoring-config.ts';
import { timelineText } from './timeline-text.ts';
import { firstTouchOf, type Touch } from './touch.ts';

const Timestamp = z.iso.datetime();

/** What `POST /v1/leads` answers: the lead's id, the same for a repeat of an earlier enquiry. */
export const LeadAccepted = z.strictObject({ leadId: z.uuid() }).meta({ id: 'LeadAccepted' });

export const LeadScore = z
  .strictObject({
    total: z.number(),
    configVersion: z.string().meta({ description: 'The scoring configuration that produced this score' }),
    breakdown: z.array(
      z.strictObject({
        factor: ScoringConfig.shape.factors.keyof(),
        value: z.string(),
        weight: z.number(),
        fraction: z.number(),
        points: z.number(),
        explanation: z.string(),
      }),
    ),
  })
  .meta({
    id: 'LeadScore',
    description: 'The sum of the factors, each with its weight, fraction and points',
  });

export const LeadTimelineEntry = z
  .strictObject({
    at: Timestamp,
    kind: z.enum(TIMELINE_KINDS),
    summary: z.string().meta({
      description:
        'What happened, for people: rendered from the catalogs in the language of the request (`Content-Language`)',
    }),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({
    id: 'LeadTimelineEntry',
    description: 'One line of the history: the summary for people, kind and details for audit',
  });

/**
 * How the lead reached the bank, as the bank established it (the Attribution of shared/leads/attribution.ts,
 * which `leadView()`'s return type holds to this schema).
 */
export const LeadAttribution = z
  .strictObject({
    channel: z.enum(CHANNELS),
    campaignId: z.string().optional(),
    prospectId: z
      .string()
      .optional()
      .meta({ description: 'The prospect a signed letter or invitation was addressed to' }),
    referral: z
      .strictObject({
        code: z.string(),
        clientId: z.string(),
        managerId: z.string(),
        flags: z
          .array(z.enum(REFERRAL_FLAGS))
          .optional()
          .meta({ description: 'Why the referral is held for review (docs/referrals.md)' }),
      })
      .optional()
      .meta({ description: 'The existing client whose referral code the prospect came with' }),
    utm: LeadSource.shape.utm,
    referrer: z
      .string()
      .optional()
      .meta({ description: 'The page the visitor came from: origin and path, no query or fragment' }),
    landingPage: z
      .string()
      .optional()
      .meta({ description: "The bank's page the form sat on: origin and path, no query or fragment" }),
    ignored: z
      .array(
        z.discriminatedUnion('claim', [
          z.strictObject({
            claim: z.literal('invitation'),
            reason: z.enum(INVITATION_REFUSALS),
          }),
          z.strictObject({
            claim: z.literal('referral_code'),
            reason: z.enum(REFERRAL_REFUSALS),
          }),
        ]),
      )
      .optional()
      .meta({ description: 'Claims the form carried that the bank did not believe, and why' }),
  })
  .meta({
    id: 'LeadAttribution',
    description: 'How the lead reached the bank, established by the bank, never by the form',
  });

/** One time the prospect reached the bank: shared/leads/touch.ts. Like UTM values, it decides nothing. */
export const LeadTouch = z
  .strictObject({
    at: Timestamp,
    channel: LeadAttribution.shape.channel,
    campaignId: LeadAttribution.shape.campaignId,
    utm: LeadAttribution.shape.utm,
    referrer: LeadAttribution.shape.referrer,
    landingPage: LeadAttribution.shape.landingPage,
    enquiryId: z
      .uuid()
      .optional()
      .meta({ description: 'The later enquiry that made it; none for the first' }),
  })
  .meta({
    id: 'LeadTouch',
    description:
      'One time the prospect reached the bank, as the bank attributed it. `firstTouch`: what the lead was captured with (its attribution, which never changes); `lastTouch`: the latest later enquiry, or the first touch while the prospect has not come back',
  });

/**
 * What `GET /v1/leads/{leadId}` answers: the published schema and the type `leadView()` must return, so
 * the two cannot drift. The submitted parts are the submission's own schemas.
 */
export const LeadView = z
  .strictObject({
    leadId: z.uuid(),
    status: z.enum(LEAD_STATUSES),
    receivedAt: Timestamp,
    leadClass: z.enum(LEAD_CLASSES).nullable(),
    // A union, not .nullable(): the generator would mark the shared LeadScore component itself nullable.
    score: z.union([LeadScore, z.null()]),
    assignedManager: z
      .strictObject({
        managerId: z.string(),
        kind: z.enum(ASSIGNMENT_KINDS).meta({
          description:
            "`acquisition`: routed by skills and capacity; `existing_client`: the company's own manager; `by_head_of_unit`: given by hand",
        }),
        byHand: z.strictObject({ by: z.string(), note: z.string().optional() }).optional(),
        segment: z.enum(SEGMENTS).optional(),
        assignedAt: Timestamp,
        assignmentId: z.string(),
        attempt: z.int().min(1).meta({ description: 'Which offer of the lead: 1 for the first manager' }),
        acceptance: z
          .strictObject({
            dueAt: Timestamp,
            basis: z.enum(DUE_BASES),
            minutes: z.int(),
            configVersion: z.string(),
          })
          .meta({
            description:
              "When the manager must accept by: the class's minutes counted in the manager's working hours",
          }),
        acceptedAt: Timestamp.optional(),
      })
      .nullable(),
    existingClient: z
      .strictObject({ clientId: z.string(), managerId: z.string() })
      .nullable()
      .meta({ description: 'The bank client this company already is, matched by its INN' }),
    routing: z.union([RoutingRecord, z.null()]),
    outcome: z
      .discriminatedUnion('kind', [
        z.strictObject({
          kind: z.literal('converted'),
          products: LeadSubmission.shape.products,
          at: Timestamp,
          by: z.string(),
        }),
        z.strictObject({
          kind: z.literal('lost'),
          reasonCode: z.string(),
          configVersion: z.string(),
          note: z.string().optional(),
          at: Timestamp,
          by: z.string(),
        }),
      ])
      .nullable()
      .meta({ description: "How the manager's work on the lead ended, once it has" }),
    failure: z
      .strictObject({ error: z.string(), at: Timestamp })
      .nullable()
      .meta({ description: 'Set while the intake has failed: the error name only; a new run clears it' }),
    company: LeadSubmission.shape.company,
    contact: LeadSubmission.shape.contact,
    products: LeadSubmission.shape.products,
    message: LeadSubmission.shape.message.unwrap().nullable(),
    attribution: LeadAttribution,
    offline: OfflineOriginView.nullable().meta({ description: 'Set for a lead met offline' }),
    consents: LeadSubmission.shape.consents,
    touchCount: z.number().int().min(0).meta({ description: 'Later enquiries kept on this lead' }),
    // The shared component, not a copy per field: what each one is, the component's description says.
    firstTouch: LeadTouch,
    lastTouch: LeadTouch,
    timeline: z.array(LeadTimelineEntry).meta({ description: 'The first page of the history, oldest first' }),
    timelineNext: z
      .string()
      .nullable()
      .meta({ description: 'Pass as `after` to `GET /v1/leads/{leadId}/timeline` for the next page' }),
  })
  .meta({ id: 'LeadView', description: 'A lead as staff read it: its state and the reasons behind it' });

/** A page of history: a lead's timeline, or its later enquiries. */
export const HistoryQuery = z
  .strictObject({
    limit: z.coerce.number().int().min(1).max(100).default(50),
    after: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,1024}$/, 'Must be a `next` value from an earlier page')
      .optional(),
  })
  .meta({ description: 'Page size, and where the last page stopped' });
export type HistoryQuery = z.infer<typeof HistoryQuery>;

const next = z.string().optional().meta({ description: 'Pass as `after` for the next page' });

export const LeadTimelinePage = z
  .strictObject({ entries: z.array(LeadTimelineEntry), next })
  .meta({ id: 'LeadTimelinePage', description: "A page of a lead's history, oldest first" });

/** A later enquiry about the lead, kept in full, with what sets it apart from the first one. */
export const EnquiryView = z
  .strictObject({
    enquiryId: z.uuid(),
    leadId: z.uuid(),
    receivedAt: Timestamp,
    company: LeadSubmission.shape.company,
    contact: LeadSubmission.shape.contact,
    products: LeadSubmission.shape.products,
    message: LeadSubmission.shape.message.unwrap().nullable(),
    consents: LeadSubmission.shape.consents,
    attribution: LeadAttribution,
    matchedBy: z
      .array(z.enum(['email', 'inn']))
      .meta({ description: "Which of the lead's keys it shared: the email, the INN, or both" }),
    signals: z.array(z.enum(ENQUIRY_SIGNALS)).meta({
      description:
        "What differs from the lead's first enquiry: a new contact person, a new message, other products, another company name or INN",
    }),
  })
  .meta({ id: 'LeadEnquiry' });

export const LeadEnquiriesPage = z
  .strictObject({ enquiries: z.array(EnquiryView), next })
  .meta({ id: 'LeadEnquiriesPage', description: "A page of a lead's later enquiries, oldest first" });

/** An entry as people read it: its text rendered in the reader's language, whatever was stored with it. */
const entryView = (t: Templates, entry: TimelineEntry): z.input<typeof LeadTimelineEntry> => ({
  at: entry.at,
  kind: entry.kind,
  summary: timelineText(t, entry),
  ...(entry.details ? { details: entry.details } : {}),
});

/**
 * The timeline a page at a time, in the reader's language; the cursor is how many entries earlier pages
 * held (history only grows).
 */
export function timelinePage(
  { timeline }: LeadRecord,
  page: HistoryQuery,
  t: Templates,
): z.input<typeof LeadTimelinePage> | undefined {
  const start = page.after === undefined ? 0 : Number.parseInt(page.after, 36);
  if (!Number.isInteger(start) || start < 0) return undefined;
  const end = start + page.limit;
  return {
    entries: timeline.slice(start, end).map((entry) => entryView(t, entry)),
    ...(end < timeline.length ? { next: end.toString(36) } : {}),
  };
}

export const enquiryView = (enquiry: Enquiry): z.input<typeof EnquiryView> => ({
  ...enquiry,
  message: enquiry.message ?? null,
});

/** How many history entries the lead's own view shows before `timelineNext`. */
export const TIMELINE_PAGE = 50;

/** A lead with its stored timeline entries, as people read it: in order, with the derived first entry. */
export function leadRecordOf(lead: Lead, entries: TimelineEntry[], lastTouch?: Touch): LeadRecord {
  // Steps can land within one millisecond; the intake order breaks such ties.
  const timeline = [...entries].sort(
    (a, b) => a.at.localeCompare(b.at) || TIMELINE_KINDS.indexOf(a.kind) - TIMELINE_KINDS.indexOf(b.kind),
  );
  // The first entry is derived from the lead itself, so capture writes one item fewer.
  const received: TimelineEntry = {
    at: lead.receivedAt,
    kind: 'received',
    details: { channel: lead.attribution.channel },
  };
  return {
    lead,
    timeline: [received, ...timeline],
    touchCount: timeline.filter((e) => e.kind === 'touch').length,
    ...(lastTouch ? { lastTouch } : {}),
  };
}

/** Who may read a lead: the unit's leadership and campaign staff, and the manager it is assigned to. */
export function canReadLead(viewer: StaffMember, record: LeadRecord): boolean {
  if (
    viewer.roles.some((r) => r === 'head_of_unit' || r === 'campaign_manager' || r === 'compliance_officer')
  ) {
    return true;
  }
  const managerId = record.lead.assignment?.managerId;
  return (
    viewer.roles.includes('personal_manager') && managerId !== undefined && viewer.managerId === managerId
  );
}

/** What `GET /v1/leads/{leadId}` answers: the lead's state and the reasons behind it, in the reader's language. */
export function leadView(record: LeadRecord, t: Templates): z.input<typeof LeadView> {
  const { lead, touchCount } = record;
  const firstTouch = firstTouchOf(lead);
  const first = timelinePage(record, { limit: TIMELINE_PAGE }, t);
  return {
    leadId: lead.leadId,
    status: lead.status,
    receivedAt: lead.receivedAt,
    leadClass: lead.leadClass ?? null,
    score: lead.score ?? null,
    assignedManager: lead.assignment ?? null,
    existingClient: lead.existingClient ?? null,
    routing: lead.routing ?? null,
    outcome: lead.outcome ?? null,
    failure: lead.failure ?? null,
    company: lead.company,
    contact: lead.contact,
    products: lead.products,
    message: lead.message ?? null,
    attribution: lead.attribution,
    offline: lead.offline ? offlineOriginView(lead.offline) : null,
    consents: lead.consents,
    touchCount,
    firstTouch,
    lastTouch: record.lastTouch ?? firstTouch,
    timeline: first?.entries ?? [],
    timelineNext: first?.next ?? null,
  };
}
