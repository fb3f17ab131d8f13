import * as z from 'zod';
import { COST_KINDS } from '#shared/ad-spend/ad-spend.ts';

/**
 * Cost events on the Attract bus (docs/web-forms.md): a channel's cost in a month, as recorded. They carry
 * the cost's key as a hash and the amount, never the source's or campaign's words: those are free text (a
 * page's UTM values, an event's name, which may name a person) and stay in the table, read through the API.
 */
export const COST_EVENT_SOURCE = 'attract.costs';

const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM');

/** The id of a recorded cost: its month, key and the time it was recorded, the same for a retried write. */
export const costEventId = (cost: { month: string; costKey: string; occurredAt: string }): string =>
  `${cost.month}:${cost.costKey}:CostRecorded:${Date.parse(cost.occurredAt)}`;

export const CostRecorded = z
  .object({
    eventId: z
      .string()
      .regex(/^\d{4}-\d{2}:[0-9a-f]{32}:CostRecorded:\d{1,15}$/, '<month>:<costKey>:CostRecorded:<ms>'),
    version: z.literal(1),
    /** When the amount was recorded: a correction is a later CostRecorded of the same key. */
    occurredAt: z.iso.datetime(),
    month: Month,
    /** The cost's key (source, medium, campaign) as 32 hex characters of SHA-256: the same key, the same hash. */
    costKey: z.string().regex(/^[0-9a-f]{32}$/),
    kind: z.enum(COST_KINDS),
    /** Set when the cost is an offline channel's (medium `offline`): its configured id. */
    offlineChannel: z
      .string()
      .regex(/^[a-z][a-z0-9_]{1,49}$/)
      .optional(),
    amountKopecks: z.int().min(0),
  })
  .refine((e) => e.eventId === costEventId(e), {
    path: ['eventId'],
    message: 'Must be costEventId of the cost',
  })
  .meta({ id: 'CostRecorded' });

export const COST_EVENTS = { CostRecorded } as const;
export type CostEventType = keyof typeof COST_EVENTS;
export type CostEventDetail<T extends CostEventType> = z.infer<(typeof COST_EVENTS)[T]>;
