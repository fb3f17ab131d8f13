import * as z from 'zod';
import { PRESENCES, presenceAt } from '../managers/working-time.ts';
import type { Assignment } from './lead.ts';
import type { Managers, PageCursor } from './ports.ts';

/**
 * An acceptance SLA the manager did not keep: the time ran out (`timed_out`, and the lead went on), or the
 * acceptance came after the due time (`accepted_late`: it raced the timer, or the wait was the minimum).
 * Written with the timeline entry that records it, so it is kept exactly when that is.
 */
export const SLA_BREACH_KINDS = ['timed_out', 'accepted_late'] as const;
export type SlaBreach = {
  leadId: string;
  managerId: string;
  kind: (typeof SLA_BREACH_KINDS)[number];
  attempt: number;
  assignedAt: string;
  dueAt: string;
  /** When the time ran out, or when the late acceptance came. */
  at: string;
};

/** The breach of an assignment ended or accepted at `at`, if it is one. */
export function slaBreachOf(
  leadId: string,
  assignment: Assignment,
  ended: { kind: SlaBreach['kind']; at: string },
): SlaBreach | undefined {
  const { managerId, attempt, assignedAt, acceptance } = assignment;
  if (ended.kind === 'accepted_late' && ended.at <= acceptance.dueAt) return undefined;
  return { leadId, managerId, kind: ended.kind, attempt, assignedAt, dueAt: acceptance.dueAt, at: ended.at };
}

/** What the head of unit's views read besides the roster: the open offers and the breaches. */
export interface UnitWatch {
  /** The due times of the offers a manager holds and has not answered, earliest first. */
  openOfferDueTimes(managerId: string): Promise<string[]>;
  /** The breaches of the acceptance SLA, newest first, a page at a time. */
  breaches(page: { size: number; after?: PageCursor }): Promise<{ items: SlaBreach[]; after?: PageCursor }>;
}

/** `GET /v1/unit/managers`: every manager's load, presence and open offers, now. */
export const UnitLoad = z
  .strictObject({
    at: z.iso.datetime(),
    managers: z.array(
      z.strictObject({
        managerId: z.string(),
        name: z.string(),
        active: z.boolean(),
        presence: z.enum(PRESENCES),
        capacity: z.number().int(),
        weight: z.number(),
        activeLeads: z.number().int(),
        utilisation: z
          .number()
          .nullable()
          .meta({ description: 'activeLeads / capacity; null at capacity 0' }),
        openOffers: z.number().int().meta({ description: 'Offers the manager has not answered yet' }),
        overdueOffers: z.number().int().meta({ description: 'Of those, the ones past their due time' }),
        nextDueAt: z.iso.datetime().nullable(),
        pausedUntil: z.iso.datetime().nullable(),
      }),
    ),
  })
  .meta({
    id: 'UnitLoad',
    description: 'The unit now, most loaded first: load against capacity, presence and unanswered offers',
  });

export const SlaBreachesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  after: z.string().max(1000).optional(),
});

export const SlaBreachesPage = z
  .strictObject({
    breaches: z.array(
      z.strictObject({
        leadId: z.uuid(),
        managerId: z.string(),
        kind: z.enum(SLA_BREACH_KINDS),
        attempt: z.number().int(),
        assignedAt: z.iso.datetime(),
        dueAt: z.iso.datetime(),
        at: z.iso.datetime(),
      }),
    ),
    next: z.string().nullable(),
  })
  .meta({
    id: 'SlaBreachesPage',
    description: 'Acceptance SLAs not kept, newest first; `next` fetches the following page',
  });

/** The unit's load now, most loaded first (relative to capacity), then by name. */
export async function unitLoad(deps: {
  managers: Managers;
  watch: UnitWatch;
  now: () => Date;
}): Promise<z.input<typeof UnitLoad>> {
  const now = deps.now();
  const at = now.toISOString();
  const managers = await deps.managers.list();
  const rows = await Promise.all(
    managers.map(async (m) => {
      const due = await deps.watch.openOfferDueTimes(m.managerId);
      return {
        managerId: m.managerId,
        name: m.name,
        active: m.active,
        presence: presenceAt(m, now),
        capacity: m.capacity,
        weight: m.weight,
        activeLeads: m.activeLeads,
        utilisation: m.capacity > 0 ? Math.round((m.activeLeads / m.capacity) * 100) / 100 : null,
        openOffers: due.length,
        overdueOffers: due.filter((d) => d < at).length,
        nextDueAt: due[0] ?? null,
        pausedUntil: m.pausedUntil && m.pausedUntil > at ? m.pausedUntil : null,
      };
    }),
  );
  // A manager of capacity 0 who holds leads anyway (given by hand) is over any limit.
  const weightOf = (r: (typeof rows)[number]) =>
    r.utilisation ?? (r.activeLeads > 0 ? Number.POSITIVE_INFINITY : 0);
  rows.sort((a, b) => weightOf(b) - weightOf(a) || a.name.localeCompare(b.name, 'ru'));
  return { at, managers: rows };
}
