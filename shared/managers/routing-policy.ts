import * as z from 'zod';
import { parseConfig } from '../config-data.ts';
import type { Industry, Product, SizeBand } from '../leads/lead-submission.ts';
import { ANY, type PersonalManager, type Segment } from './roster.ts';
import type { Presence } from './working-time.ts';

/**
 * Who takes a lead: a pure, explainable decision under a policy that is data. The rules, in order:
 * (a) existing_client: the client's own PM; (b) referrer_manager: the referring client's PM when they fit;
 * (c) best_fit: every fitting PM, least loaded first; (d) unassigned: nobody fits.
 * The decision is stored on the lead for as long as the lead is kept, so it holds ids only.
 */

// Where a manager is at a moment is the working-hours clock's to tell.
export { PRESENCES, type Presence } from './working-time.ts';

// Holidays and absences can never be allowed: leads reaching people who are away is what the bank left its CRM over.
const ALLOWABLE_PRESENCES = ['working', 'near_hours', 'off_hours'] as const;

export const RoutingPolicy = z
  .strictObject({
    version: z.string().trim().min(1).max(100),
    /** Presences in which a PM may be given a lead by rules (b) and (c). */
    presenceAllowed: z
      .array(z.enum(ALLOWABLE_PRESENCES))
      .min(1)
      .refine((p) => new Set(p).size === p.length, 'each presence once')
      .refine((p) => p.includes('working'), 'a PM at work may always take a lead')
      .default(['working', 'near_hours']),
    /** How close to a shift counts as near_hours: the caller's clock reads it, routing does not. */
    nearHoursMinutes: z.int().min(0).max(480).default(30),
    /** Whether a PM back from absence may take every lead until their load is level with the others'. */
    catchUpAfterAbsence: z.boolean().default(false),
    /** For how many days after an absence a PM takes turns with the least loaded instead of catching up. */
    returnWindowDays: z.int().min(0).max(90).default(5),
    /**
     * Whether a PM who let a lead's acceptance time run out is paused (rules b and c give them no new
     * lead) for as long again as the time they let pass: a silent PM is as good as away, and the capacity
     * their timeout freed must not pull the next leads to them.
     */
    pauseAfterTimeout: z.boolean().default(true),
    /** Whether a referred lead goes first to the referring client's PM (rule b). */
    preferReferrerManager: z.boolean().default(true),
    /**
     * When no fitting PM is at work (a lead at night or at the weekend): `next_shift` offers it to the
     * fitting PMs outside their hours, whose SLA clock starts with their next shift; `unassigned` sends it
     * to the head of unit's queue. Holidays and absences are never worked around.
     */
    whenNobodyPresent: z.enum(['next_shift', 'unassigned']).default('next_shift'),
  })
  .meta({ id: 'RoutingPolicy', description: 'How leads are routed to personal managers, tuned by the bank' });
export type RoutingPolicy = z.infer<typeof RoutingPolicy>;

/** Validates a routing policy; a bad one fails loudly with every offending path. */
export function parseRoutingPolicy(json: unknown): RoutingPolicy {
  return parseConfig(RoutingPolicy, json, 'routing policy');
}

/** The policy in force; its version is stored with every decision it drove. */
export const DEFAULT_ROUTING_POLICY: RoutingPolicy = parseRoutingPolicy({ version: 'routing-2026-11' });

/** Unknown size goes to small business: the unit that handles the most leads takes the least known. */
export function segmentOf(sizeBand: SizeBand | undefined): Segment {
  if (sizeBand === 'large') return 'corporate';
  if (sizeBand === 'medium') return 'mid_market';
  return 'small_business';
}

/** What routing needs to know about a lead. */
export type LeadFacts = {
  segment: Segment;
  regionCode: string;
  /** Unknown industry passes over nobody: the lead is not the PM's fault for lacking it. */
  industry?: Industry;
  products: readonly Product[];
  /** The PM who owns the relationship with the client this lead's company already is. */
  existingClientManagerId?: string;
  /** The PM of the existing client who referred this lead. */
  referrerManagerId?: string;
};

/**
 * A manager who declined, let the acceptance time run out, or had the lead taken from them by the head of
 * unit: never offered it again by routing (the head of unit may still give it back by hand).
 */
export type Exclusion = { managerId: string; why: 'declined' | 'timed_out' | 'reassigned' };

const EXCLUSION_REASONS = {
  declined: 'declined_before',
  timed_out: 'timed_out_before',
  reassigned: 'reassigned_before',
} as const satisfies Record<Exclusion['why'], PassReason>;

export type RoutingContext = {
  now: Date;
  presence: (manager: PersonalManager, at: Date) => Presence;
  excluded: readonly Exclusion[];
};

export const ROUTING_RULES = ['existing_client', 'referrer_manager', 'best_fit', 'unassigned'] as const;
export type RoutingRule = (typeof ROUTING_RULES)[number];

export const PASS_REASONS = [
  'inactive',
  'absent',
  'holiday',
  'off_hours',
  'segment',
  'region',
  'industry',
  'no_capacity',
  'paused_after_timeout',
  'declined_before',
  'timed_out_before',
  'reassigned_before',
] as const;
export type PassReason = (typeof PASS_REASONS)[number];

/** The decision as stored on the lead: JSON, ids only. */
export const RoutingDecision = z
  .strictObject({
    policyVersion: z.string(),
    rule: z.enum(ROUTING_RULES),
    /** Managers to try, in order: the caller takes the next when a conditional write finds no room. */
    ranked: z.array(z.string()),
    /** Every manager in the roster: ranked ones in rank order, then the passed over by id. */
    considered: z.array(
      z.strictObject({
        managerId: z.string(),
        verdict: z.enum(['ranked', 'passed_over']),
        /** Why passed over; empty for a ranked manager, or for one who fits when an earlier rule decided. */
        reasons: z.array(z.enum(PASS_REASONS)),
        /** Open leads over capacity when routed, as '3/10'. */
        load: z.string(),
      }),
    ),
    /** Set when nobody fitting was at work and the lead went to a PM outside their hours (`next_shift`). */
    outsideHours: z.literal(true).optional(),
    /** The client's or referrer's PM named by the lead but not in the roster (left the unit). */
    unknownManagerIds: z.array(z.string()).optional(),
  })
  .meta({
    id: 'RoutingDecision',
    description: 'Who was offered a lead, by which rule, and why the others were not',
  });
export type RoutingDecision = z.infer<typeof RoutingDecision>;

/**
 * A decision as stored on the lead and shown in its view: when it was made, who got the lead (none: the
 * unit's queue), and the ranked managers found full at the moment of writing (another lead took their
 * last unit).
 */
export const RoutingRecord = z
  .strictObject({
    ...RoutingDecision.shape,
    at: z.iso.datetime(),
    managerId: z.string().optional().meta({ description: 'Who was given the lead; absent: the unit queue' }),
    full: z
      .array(z.string())
      .optional()
      .meta({ description: 'Ranked managers whose last unit another lead took as this one was written' }),
  })
  .meta({ id: 'LeadRouting', description: 'How the lead was routed, kept as long as the lead' });
export type RoutingRecord = z.infer<typeof RoutingRecord>;
export type Considered = RoutingDecision['considered'][number];

/** Decides who is offered a lead. Pure: the same inputs give the same decision, whatever the roster's order. */
export function route(
  policy: RoutingPolicy,
  facts: LeadFacts,
  managers: readonly PersonalManager[],
  context: RoutingContext,
): RoutingDecision {
  const assessed = managers.map((manager) => assess(policy, facts, manager, context));
  const byId = new Map(assessed.map((a) => [a.manager.managerId, a]));
  const unknownManagerIds = [facts.existingClientManagerId, facts.referrerManagerId].filter(
    (id): id is string => id !== undefined && !byId.has(id),
  );
  const decide = (rule: RoutingRule, ranked: string[]): RoutingDecision =>
    explain(policy, rule, ranked, assessed, [...new Set(unknownManagerIds)]);

  // (a) The relationship is the owner's whatever their load or hours; leaving the unit, being away, or
  // turning this lead down hands it on: a client's enquiry must not wait for a PM on leave.
  const owner = facts.existingClientManagerId ? byId.get(facts.existingClientManagerId) : undefined;
  if (owner?.manager.active && !owner.reasons.some((r) => isExclusion(r) || r === 'absent')) {
    return decide('existing_client', [owner.manager.managerId]);
  }

  const fitting = assessed.filter((a) => a.reasons.length === 0);
  const bestFirst = rankBestFit(policy, facts.products, fitting, context.now).map((a) => a.manager.managerId);

  // (b) The referrer's PM first, then the best fits behind them in case their last slot goes meanwhile.
  const referrer = facts.referrerManagerId ? byId.get(facts.referrerManagerId) : undefined;
  if (policy.preferReferrerManager && referrer && referrer.reasons.length === 0) {
    const referrerId = referrer.manager.managerId;
    return decide('referrer_manager', [referrerId, ...bestFirst.filter((id) => id !== referrerId)]);
  }

  if (bestFirst.length > 0) return decide('best_fit', bestFirst);
  if (policy.whenNobodyPresent === 'next_shift' && !policy.presenceAllowed.includes('off_hours')) {
    const outside: RoutingPolicy = {
      ...policy,
      presenceAllowed: [...policy.presenceAllowed, 'off_hours'],
      whenNobodyPresent: 'unassigned',
    };
    const later = route(outside, facts, managers, context);
    if (later.rule !== 'unassigned') return { ...later, outsideHours: true };
  }
  return decide('unassigned', []);
}

type Assessed = { manager: PersonalManager; reasons: PassReason[] };

const isExclusion = (r: PassReason) => (Object.values(EXCLUSION_REASONS) as PassReason[]).includes(r);

/** Every reason this manager may not take this lead now, in the order of PASS_REASONS. */
function assess(
  policy: RoutingPolicy,
  facts: LeadFacts,
  manager: PersonalManager,
  { now, presence, excluded }: RoutingContext,
): Assessed {
  const reasons = new Set<PassReason>();
  if (!manager.active) reasons.add('inactive');
  const where = presence(manager, now);
  if (!(policy.presenceAllowed as readonly Presence[]).includes(where)) {
    // near_hours refused by the policy reads, to the head of unit, as outside the hours.
    reasons.add(where === 'absent' || where === 'holiday' ? where : 'off_hours');
  }
  if (!manager.segments.includes(facts.segment)) reasons.add('segment');
  if (!covers(manager.regions, facts.regionCode)) reasons.add('region');
  if (facts.industry !== undefined && !covers(manager.industries, facts.industry)) reasons.add('industry');
  if (manager.activeLeads >= manager.capacity) reasons.add('no_capacity');
  const pausedUntil = manager.pausedUntil === undefined ? Number.NaN : Date.parse(manager.pausedUntil);
  if (policy.pauseAfterTimeout && now.getTime() < pausedUntil) reasons.add('paused_after_timeout');
  for (const e of excluded) {
    if (e.managerId === manager.managerId) {
      reasons.add(EXCLUSION_REASONS[e.why]);
    }
  }
  return { manager, reasons: PASS_REASONS.filter((r) => reasons.has(r)) };
}

const covers = (list: readonly string[], value: string) => list.includes(value) || list.includes(ANY);

/** A load as a fraction: open leads over capacity x weight, kept whole so comparisons are exact. */
type Load = { leads: number; room: number };

// Weights are kept to thousandths: 0.1 to 10 become 100 to 10,000, and capacity x weight stays an integer.
const roomOf = (m: PersonalManager): number => m.capacity * Math.round(m.weight * 1000);
const loadOf = (m: PersonalManager): Load => ({ leads: m.activeLeads, room: roomOf(m) });
/** Negative when a is less loaded than b; cross-multiplied, so 1/2 and 2/4 tie exactly. */
const compareLoads = (a: Load, b: Load) => a.leads * b.room - b.leads * a.room;

type Candidate = { manager: PersonalManager; load: Load; skills: number; lastAssigned: number };

/**
 * The most leads `first` may hold and still be no more loaded, for their capacity and weight, than `next`
 * is: the bound under which best fit still ranks `first` before `next` on load. Equal managers get their
 * own load (one more lead, and the other's turn comes).
 */
export function loadBound(first: PersonalManager, next: PersonalManager): number {
  const [a, b] = [loadOf(first), loadOf(next)];
  return b.room === 0 ? first.capacity : Math.floor((b.leads * a.room) / b.room);
}

function rankBestFit(
  policy: RoutingPolicy,
  products: readonly Product[],
  fitting: readonly Assessed[],
  now: Date,
): Assessed[] {
  const returning = new Set(
    policy.catchUpAfterAbsence
      ? []
      : fitting
          .filter((a) => isBackFromAbsence(a.manager, now, policy.returnWindowDays))
          .map((a) => a.manager),
  );
  // The least loaded of those who were here: a PM just back takes turns with them, not every lead until level.
  const floor = fitting
    .filter((a) => !returning.has(a.manager))
    .map((a) => loadOf(a.manager))
    .reduce<Load | undefined>(
      (min, l) => (min === undefined || compareLoads(l, min) < 0 ? l : min),
      undefined,
    );
  const candidates = fitting.map(({ manager, reasons }) => {
    const own = loadOf(manager);
    const load = returning.has(manager) && floor && compareLoads(own, floor) < 0 ? floor : own;
    return { assessed: { manager, reasons }, candidate: candidateOf(manager, load, products) };
  });
  return candidates.sort((a, b) => byPreference(a.candidate, b.candidate)).map((c) => c.assessed);
}

function candidateOf(manager: PersonalManager, load: Load, products: readonly Product[]): Candidate {
  const parsed = manager.lastAssignedAt === undefined ? Number.NaN : Date.parse(manager.lastAssignedAt);
  return {
    manager,
    load,
    skills: products.filter((p) => manager.products.includes(p)).length,
    // Never assigned (or a time that does not parse) goes first: a newcomer's turn comes before anyone's.
    lastAssigned: Number.isNaN(parsed) ? Number.NEGATIVE_INFINITY : parsed,
  };
}

function byPreference(a: Candidate, b: Candidate): number {
  const load = compareLoads(a.load, b.load);
  if (load !== 0) return load;
  if (a.skills !== b.skills) return b.skills - a.skills;
  // Round robin: whoever was given a lead longest ago goes next, so ties never go to the same person.
  if (a.lastAssigned !== b.lastAssigned) return a.lastAssigned < b.lastAssigned ? -1 : 1;
  if (a.manager.managerId === b.manager.managerId) return 0;
  return a.manager.managerId < b.manager.managerId ? -1 : 1;
}

/** Whether the manager's last absence ended no more than `windowDays` days ago, in their own time zone. */
export function isBackFromAbsence(manager: PersonalManager, now: Date, windowDays: number): boolean {
  const today = dayNumber(localDate(now, manager.workingHours.timeZone));
  return manager.absences.some((absence) => {
    const daysBack = today - dayNumber(absence.to);
    return daysBack >= 1 && daysBack <= windowDays;
  });
}

function localDate(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(at)
    .reduce<Record<string, string>>((all, p) => Object.assign(all, { [p.type]: p.value }), {});
  return `${parts.year}-${parts.month}-${parts.day}`;
}

const dayNumber = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`) / 86_400_000;

function explain(
  policy: RoutingPolicy,
  rule: RoutingRule,
  ranked: string[],
  assessed: readonly Assessed[],
  unknownManagerIds: string[],
): RoutingDecision {
  const position = new Map(ranked.map((id, i) => [id, i]));
  const considered = assessed
    .map(({ manager, reasons }): Considered => {
      const isRanked = position.has(manager.managerId);
      return {
        managerId: manager.managerId,
        verdict: isRanked ? 'ranked' : 'passed_over',
        reasons: isRanked ? [] : reasons,
        load: `${manager.activeLeads}/${manager.capacity}`,
      };
    })
    .sort((a, b) => {
      const pa = position.get(a.managerId) ?? Number.POSITIVE_INFINITY;
      const pb = position.get(b.managerId) ?? Number.POSITIVE_INFINITY;
      if (pa !== pb) return pa < pb ? -1 : 1;
      return a.managerId < b.managerId ? -1 : a.managerId > b.managerId ? 1 : 0;
    });
  return {
    policyVersion: policy.version,
    rule,
    ranked,
    considered,
    ...(unknownManagerIds.length > 0 ? { unknownManagerIds } : {}),
  };
}
