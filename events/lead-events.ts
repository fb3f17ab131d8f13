import * as z from 'zod';
import { CHANNELS, INDUSTRIES, PRODUCTS, SIZE_BANDS } from '#shared/leads/lead-submission.ts';
import { LEAD_CLASSES } from '#shared/leads/scoring.ts';
import { ManagerId } from '#shared/managers/roster.ts';

/**
 * Lead events on the Attract bus: the contract between the lead-intake producers and every consumer
 * (analytics, core banking, CRM). Events carry ids and business facts, never a contact's personal data.
 */
export const LEAD_EVENT_SOURCE = 'attract.leads';

/** A configuration's version as events carry it: a short token, never prose. */
export const ConfigVersion = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, 'lower-case letters, digits, . _ -');

/**
 * A reason as events carry it: the code of an entry in a configured list (shared/managers/outcomes.ts),
 * never the manager's own words, which may name a person and stay on the lead.
 */
export const ReasonCode = z
  .string()
  .regex(/^[a-z][a-z0-9_]{1,49}$/, 'a reason code: lower-case letters, digits, _');

/**
 * The id of an event: `<leadId>:<Type>` for a fact a lead has once, `<leadId>:<Type>:<n>` for one it can
 * have several times (n is the attempt), so a retried step publishes the same id and a new fact a new one.
 */
export function leadEventId(leadId: string, type: LeadEventType, occurrence?: number): string {
  return idFor(leadId, type, occurrence);
}

// Typed by a plain string: the contracts below use it, and LeadEventType is made of them.
const idFor = (leadId: string, type: string, occurrence?: number) =>
  occurrence === undefined ? `${leadId}:${type}` : `${leadId}:${type}:${occurrence}`;

const envelope = {
  /** Deterministic per fact, so a consumer can drop the redelivery of a retried step. */
  eventId: z
    .string()
    .regex(/^[0-9a-fA-F-]{36}:Lead[A-Za-z]+(:\d{1,3})?$/, '<leadId>:<Type>, or <leadId>:<Type>:<n>'),
  version: z.literal(1),
  leadId: z.uuid(),
  occurredAt: z.iso.datetime(),
};

/** The number of a manager's turn at a lead: the first assignment is 1, each reassignment the next. */
const Attempt = z.int().min(1).max(100);

/** Holds the event's id to the one `leadEventId` gives its lead and occurrence. */
const idOf =
  (type: string, occurrence?: 'attempt' | 'attempts') =>
  (event: { eventId: string; leadId: string; attempt?: number; attempts?: number }): boolean =>
    event.eventId === idFor(event.leadId, type, occurrence && event[occurrence]);
const idIssue = (type: string, form: string): { path: string[]; message: string } => ({
  path: ['eventId'],
  message: `Must be ${form} for ${type}`,
});

export const LeadCaptured = z
  .object({
    ...envelope,
    channel: z.enum(CHANNELS),
    campaignId: z.string().optional(),
    products: z.array(z.enum(PRODUCTS)).min(1),
    regionCode: z.string().regex(/^\d{2}$/),
    sizeBand: z.enum(SIZE_BANDS).optional(),
    industry: z.enum(INDUSTRIES).optional(),
    existingClient: z.boolean(),
  })
  .refine(idOf('LeadCaptured'), idIssue('LeadCaptured', '<leadId>:LeadCaptured'))
  .meta({ id: 'LeadCaptured' });

/**
 * A lead an acquisition manager met offline (POST /v1/offline-leads), beside its LeadCaptured: the
 * configured channel and the configuration that held it, and what meeting the company cost. The event's
 * or source's name stays on the lead (it may name a person: a personal contact's dinner), and so does who
 * recorded it.
 */
export const LeadAddedOffline = z
  .object({
    ...envelope,
    offlineChannel: z
      .string()
      .regex(
        /^[a-z][a-z0-9_]{1,49}$/,
        'an offline channel id (shared/leads/config/offline-channels.v1.json)',
      ),
    /** The offline channels configuration whose list holds the channel. */
    configVersion: ConfigVersion,
    /** The attribution channel the lead is scored and reported under. */
    channel: z.enum(CHANNELS),
    regionCode: z.string().regex(/^\d{2}$/),
    costKopecks: z.int().min(0).optional(),
  })
  .refine(idOf('LeadAddedOffline'), idIssue('LeadAddedOffline', '<leadId>:LeadAddedOffline'))
  .meta({ id: 'LeadAddedOffline' });

export const LeadScored = z
  .object({
    ...envelope,
    total: z.number().min(0).max(100),
    leadClass: z.enum(LEAD_CLASSES),
    configVersion: z.string().min(1),
    breakdown: z.array(z.object({ factor: z.string(), value: z.string(), points: z.number() })),
  })
  .refine(idOf('LeadScored'), idIssue('LeadScored', '<leadId>:LeadScored'))
  .meta({ id: 'LeadScored' });

export const ASSIGNMENT_KINDS = ['acquisition', 'existing_client', 'by_head_of_unit'] as const;

export const LeadAssigned = z
  .object({
    ...envelope,
    managerId: z.string().min(1),
    /**
     * `acquisition`: routed by skills and capacity; `existing_client`: the company's own manager;
     * `by_head_of_unit`: given by hand to a lead no manager could take.
     */
    assignmentKind: z.enum(ASSIGNMENT_KINDS),
    leadClass: z.enum(LEAD_CLASSES).optional(),
  })
  .refine(idOf('LeadAssigned'), idIssue('LeadAssigned', '<leadId>:LeadAssigned'))
  .meta({ id: 'LeadAssigned' });

export const LeadAccepted = z
  .object({
    ...envelope,
    managerId: ManagerId,
    attempt: Attempt,
    acceptedAt: z.iso.datetime(),
    /** Whether it came by the due time the SLA configuration set when the lead was assigned. */
    withinSla: z.boolean(),
    /** Working minutes of the manager's own hours from assignment to acceptance. */
    workingMinutesTaken: z.int().min(0),
    /** The acceptance SLA configuration that set the due time. */
    configVersion: ConfigVersion,
  })
  .refine(idOf('LeadAccepted', 'attempt'), idIssue('LeadAccepted', '<leadId>:LeadAccepted:<attempt>'))
  .meta({ id: 'LeadAccepted' });

export const LeadDeclined = z
  .object({
    ...envelope,
    managerId: ManagerId,
    attempt: Attempt,
    reasonCode: ReasonCode,
    /** The outcomes configuration whose decline reasons hold the code. */
    configVersion: ConfigVersion,
  })
  .refine(idOf('LeadDeclined', 'attempt'), idIssue('LeadDeclined', '<leadId>:LeadDeclined:<attempt>'))
  .meta({ id: 'LeadDeclined' });

export const REASSIGNMENT_CAUSES = ['declined', 'timed_out', 'by_head_of_unit'] as const;

export const LeadReassigned = z
  .object({
    ...envelope,
    fromManagerId: ManagerId,
    /** Absent when no manager fit: the lead waits in the head of unit's queue. */
    toManagerId: ManagerId.optional(),
    cause: z.enum(REASSIGNMENT_CAUSES),
    /** The attempt this reassignment starts (2 for the first reassignment). */
    attempt: Attempt.min(2),
  })
  .refine(idOf('LeadReassigned', 'attempt'), idIssue('LeadReassigned', '<leadId>:LeadReassigned:<attempt>'))
  .meta({ id: 'LeadReassigned' });

/**
 * `attempts_exhausted`: the configured number of managers declined or let the time run out;
 * `no_manager`: nobody left who fits, is present and has room.
 */
export const ESCALATION_CAUSES = ['attempts_exhausted', 'no_manager'] as const;

export const LeadEscalated = z
  .object({
    ...envelope,
    /** The attempts made before the head of unit took the lead. */
    attempts: z.int().min(0).max(100),
    cause: z.enum(ESCALATION_CAUSES),
  })
  .refine(idOf('LeadEscalated', 'attempts'), idIssue('LeadEscalated', '<leadId>:LeadEscalated:<attempts>'))
  .meta({ id: 'LeadEscalated' });

export const LeadConverted = z
  .object({
    ...envelope,
    managerId: ManagerId,
    /** The products the company opened. */
    products: z
      .array(z.enum(PRODUCTS))
      .min(1)
      .max(PRODUCTS.length)
      .refine((products) => new Set(products).size === products.length, 'each product once'),
  })
  .refine(idOf('LeadConverted'), idIssue('LeadConverted', '<leadId>:LeadConverted'))
  .meta({ id: 'LeadConverted' });

export const LeadLost = z
  .object({
    ...envelope,
    managerId: ManagerId,
    reasonCode: ReasonCode,
    /** The outcomes configuration whose lost reasons hold the code. */
    configVersion: ConfigVersion,
  })
  .refine(idOf('LeadLost'), idIssue('LeadLost', '<leadId>:LeadLost'))
  .meta({ id: 'LeadLost' });

export const LEAD_EVENTS = {
  LeadCaptured,
  LeadAddedOffline,
  LeadScored,
  LeadAssigned,
  LeadAccepted,
  LeadDeclined,
  LeadReassigned,
  LeadEscalated,
  LeadConverted,
  LeadLost,
} as const;
export type LeadEventType = keyof typeof LEAD_EVENTS;
export type LeadEventDetail<T extends LeadEventType> = z.infer<(typeof LEAD_EVENTS)[T]>;
