import * as z from 'zod';
import { ConfigVersion } from '#events/lead-events.ts';
import { parseConfig } from '../config-data.ts';
import type { LeadClass } from '../leads/scoring.ts';
import burst from './config/acceptance-sla.burst.json' with { type: 'json' };
import drill from './config/acceptance-sla.drill.json' with { type: 'json' };
import v1 from './config/acceptance-sla.v1.json' with { type: 'json' };
import { addWorkingMinutes, type Schedule } from './working-time.ts';

/**
 * How long a personal manager has to accept a lead, in their own working time, and how many managers a
 * lead is offered to before the head of unit takes it: data the bank tunes (config/acceptance-sla.v1.json),
 * checked when the module loads. The LeadIntake execution waits for the answer with a task token and
 * this module's `timeoutSeconds`; the due time and the version are kept on the lead.
 */
const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
/** A Standard workflow execution lasts at most a year; the waits of every attempt must fit in it with room to spare. */
const EXECUTION_DAYS = 360;

/** Minutes of working time (or, on the drill clock, seconds): a week of either at most. */
const WorkingMinutes = z.int().min(1).max(10_080);

/**
 * `working_time`: the manager's working minutes, shifts and holidays (what the bank runs). `drill_seconds`:
 * the same numbers as calendar seconds, whatever the schedule, for drills and the bench, where a whole
 * reassignment chain must run in seconds; it is a named configuration a deployment chooses, never a default.
 */
export const SLA_CLOCKS = ['working_time', 'drill_seconds'] as const;

export const AcceptanceSlaConfig = z
  .strictObject({
    version: ConfigVersion,
    clock: z.enum(SLA_CLOCKS),
    /** Working minutes to accept, per lead class. */
    workingMinutes: z.strictObject({
      key: WorkingMinutes,
      priority: WorkingMinutes,
      standard: WorkingMinutes,
      unqualified: WorkingMinutes,
    } satisfies Record<LeadClass, typeof WorkingMinutes>),
    /** Working minutes for a lead never scored: an existing client's, routed straight to its own manager. */
    unscoredWorkingMinutes: WorkingMinutes,
    /** Managers a lead is offered to (the first assignment included) before it goes to the head of unit. */
    maxAttempts: z.int().min(1).max(10),
    /** Calendar minutes to accept when the manager's schedule has no working time at all. */
    fallbackMinutes: z.int().min(1),
    /**
     * The longest calendar wait for one manager, whatever their holidays: past it, the wait is cut short.
     * The standard 21 days also stays under the 24.8 days the local runtime can hold one task's timeout.
     */
    maxWaitDays: z.int().min(1).max(EXECUTION_DAYS),
    /**
     * The shortest wait: Step Functions needs a positive whole TimeoutSeconds, and a wait must not end
     * before the manager's email has gone out.
     */
    minimumWaitSeconds: z.int().min(1).max(3600),
  })
  .superRefine((config, ctx) => {
    if (config.fallbackMinutes > config.maxWaitDays * 1440) {
      ctx.addIssue({
        code: 'custom',
        path: ['fallbackMinutes'],
        message: `Must not exceed maxWaitDays (${config.maxWaitDays * 1440} minutes)`,
      });
    }
    if (config.maxAttempts * config.maxWaitDays > EXECUTION_DAYS) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxWaitDays'],
        message: `maxAttempts × maxWaitDays must fit in one execution (${EXECUTION_DAYS} days)`,
      });
    }
  })
  .meta({
    id: 'AcceptanceSlaConfig',
    description: 'Time to accept a lead per class, and attempts before escalation',
  });
export type AcceptanceSlaConfig = z.infer<typeof AcceptanceSlaConfig>;

/** Validates an acceptance SLA configuration; a bad one fails loudly with every offending path. */
export function parseAcceptanceSlaConfig(json: unknown): AcceptanceSlaConfig {
  return parseConfig(AcceptanceSlaConfig, json, 'acceptance SLA configuration');
}

/**
 * The configurations a deployment may choose by name (`attract:acceptanceSla`); `standard` unless it says.
 * `drill` (4 s a wait) runs a chain of timeouts in the end-to-end tests; `burst` (30 s) leaves a loaded
 * machine time to answer in the acceptance bench.
 */
export const ACCEPTANCE_SLAS = {
  standard: parseAcceptanceSlaConfig(v1),
  drill: parseAcceptanceSlaConfig(drill),
  burst: parseAcceptanceSlaConfig(burst),
} as const satisfies Record<string, AcceptanceSlaConfig>;
export type AcceptanceSlaName = keyof typeof ACCEPTANCE_SLAS;
export const ACCEPTANCE_SLA_NAMES = Object.keys(ACCEPTANCE_SLAS) as AcceptanceSlaName[];

/** The standard configuration; its version is kept with every due time it set. */
export const acceptanceSla: AcceptanceSlaConfig = ACCEPTANCE_SLAS.standard;

/** The configuration a deployment named; an unknown name fails the function at its start, as in AWS. */
export function acceptanceSlaNamed(name: string): AcceptanceSlaConfig {
  if (!Object.hasOwn(ACCEPTANCE_SLAS, name)) {
    throw new Error(
      `Unknown acceptance SLA configuration ${JSON.stringify(name)}: one of ${ACCEPTANCE_SLA_NAMES.join(', ')}`,
    );
  }
  return ACCEPTANCE_SLAS[name as AcceptanceSlaName];
}

/** The longest a LeadIntake execution may need: every attempt's longest wait, and a day for the steps between. */
export const longestAcceptanceDays = (config: AcceptanceSlaConfig) =>
  config.maxAttempts * config.maxWaitDays + 1;

/**
 * How the due time was counted: in the manager's working time; in calendar minutes because the schedule
 * has none; or cut to `maxWaitDays` because the working time lies further off than that.
 */
export const DUE_BASES = ['working_time', 'calendar_fallback', 'capped', 'drill_seconds'] as const;
export type DueBasis = (typeof DUE_BASES)[number];

export type AcceptanceDue = {
  /** When the manager's time to accept runs out (ISO, UTC). */
  dueAt: string;
  /** Whole seconds from the assignment to `dueAt`, rounded up so the timer never fires before it; at least `minimumWaitSeconds`. */
  timeoutSeconds: number;
  basis: DueBasis;
  /** The working (or, on fallback, calendar) minutes the class was given; seconds on the drill clock. */
  minutes: number;
  configVersion: string;
};

/** The working minutes a lead of this class gets; undefined is a lead never scored. */
export const acceptanceMinutes = (
  leadClass: LeadClass | undefined,
  config: AcceptanceSlaConfig = acceptanceSla,
) => (leadClass === undefined ? config.unscoredWorkingMinutes : config.workingMinutes[leadClass]);

/**
 * When a manager assigned a lead at `assignedAt` must have accepted it: the class's minutes counted in the
 * manager's working hours and holidays (absences do not stop the clock: the timeout is what hands the lead
 * to someone present). A schedule with no working time within 400 days (no shifts, or a year of holidays)
 * falls back to `fallbackMinutes` of calendar time, since a lead must never wait for a clock that never
 * runs; a due time further off than `maxWaitDays` is cut to it, so every wait fits in the execution.
 */
export function acceptanceDue(
  schedule: Schedule,
  assignedAt: Date | string,
  leadClass: LeadClass | undefined,
  config: AcceptanceSlaConfig = acceptanceSla,
): AcceptanceDue {
  const start = new Date(assignedAt);
  const from = start.getTime();
  if (!Number.isFinite(from)) throw new RangeError('assignedAt is not a valid date');
  const working = acceptanceMinutes(leadClass, config);
  const counted =
    config.clock === 'drill_seconds'
      ? new Date(from + working * 1000)
      : addWorkingMinutes(schedule, start, working);
  let basis: DueBasis = config.clock === 'drill_seconds' ? 'drill_seconds' : 'working_time';
  let minutes = working;
  let due: number;
  if (counted === undefined) {
    basis = 'calendar_fallback';
    minutes = config.fallbackMinutes;
    due = from + minutes * MINUTE;
  } else if (counted.getTime() - from > config.maxWaitDays * DAY) {
    basis = 'capped';
    due = from + config.maxWaitDays * DAY;
  } else {
    due = counted.getTime();
  }
  const timeoutSeconds = Math.max(config.minimumWaitSeconds, Math.ceil((due - from) / 1000));
  due = Math.max(due, from + config.minimumWaitSeconds * 1000);
  return {
    dueAt: new Date(due).toISOString(),
    timeoutSeconds,
    basis,
    minutes,
    configVersion: config.version,
  };
}

/** A manager who let an offer lapse at `at` is paused as long again as the time they had for it. */
export const pauseAfter = (
  assignment: { assignedAt: string; acceptance: { dueAt: string } },
  at: string,
): string =>
  new Date(
    Date.parse(at) + Math.max(0, Date.parse(assignment.acceptance.dueAt) - Date.parse(assignment.assignedAt)),
  ).toISOString();
