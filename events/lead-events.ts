import * as z from 'zod';
import { CHANNELS, INDUSTRIES, PRODUCTS, SIZE_BANDS } from '#shared/leads/lead-submission.ts';
import { LEAD_CLASSES } from '#shared/leads/scoring.ts';

/**
 * Lead events on the Attract bus: the contract between the lead-intake producers and every consumer
 * (analytics, core banking, CRM). Events carry ids and business facts, never a contact's personal data.
 */
export const LEAD_EVENT_SOURCE = 'attract.leads';

const envelope = {
  /** Deterministic per fact, so a consumer can drop the redelivery of a retried step. */
  eventId: z.string().min(1),
  version: z.literal(1),
  leadId: z.uuid(),
  occurredAt: z.iso.datetime(),
};

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
  .meta({ id: 'LeadCaptured' });

export const LeadScored = z
  .object({
    ...envelope,
    total: z.number().min(0).max(100),
    leadClass: z.enum(LEAD_CLASSES),
    configVersion: z.string().min(1),
    breakdown: z.array(z.object({ factor: z.string(), value: z.string(), points: z.number() })),
  })
  .meta({ id: 'LeadScored' });

export const LeadAssigned = z
  .object({
    ...envelope,
    managerId: z.string().min(1),
    /** `acquisition`: routed by skills and capacity; `existing_client`: the company's own manager. */
    assignmentKind: z.enum(['acquisition', 'existing_client']),
    leadClass: z.enum(LEAD_CLASSES).optional(),
  })
  .meta({ id: 'LeadAssigned' });

export const LEAD_EVENTS = { LeadCaptured, LeadScored, LeadAssigned } as const;
export type LeadEventType = keyof typeof LEAD_EVENTS;
export type LeadEventDetail<T extends LeadEventType> = z.infer<(typeof LEAD_EVENTS)[T]>;
