import * as z from 'zod';
import { ConfigVersion } from '#events/lead-events.ts';
import { parseConfig } from '../config-data.ts';
import type { LeadClass } from '../leads/scoring.ts';
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
/** Step Functions needs a positive whole TimeoutSeconds; a minute keeps a wait from ending before it is set up. */
const MIN_TIMEOUT_SECONDS = 60;

const WorkingMinutes = z.int().min(1).max(10_080);

export const AcceptanceSlaConfig = z
  .strictObject({
    version: ConfigVersion,
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
    /** The longest calendar wait for one manager, whatever their holidays: past it, the wait is cut short. */
    maxWaitDays: z.int().min(1).max(EXECUTION_DAYS),
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

/** The configuration in force; its version is kept with every due time it set. */
export const acceptanceSla: AcceptanceSlaConfig = parseAcceptanceSlaConfig(v1);

/**
 * How the due time was counted: in the manager's working time; in calendar minutes because the schedule
 * has none; or cut to `maxWaitDays` because the working time lies further off than that.
 */
export type DueBasis = 'working_time' | 'calendar_fallback' | 'capped';

export type AcceptanceDue = {
  /** When the manager's time to accept runs out (ISO, UTC). */
  dueAt: string;
  /** Whole seconds from the assignment to `dueAt`, rounded up so the timer never fires before it; at least 60. */
  timeoutSeconds: number;
  basis: DueBasis;
  /** The working (or, on fallback, calendar) minutes the class was given. */
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
  const counted = addWorkingMinutes(schedule, start, working);
  let basis: DueBasis = 'working_time';
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
  const timeoutSeconds = Math.max(MIN_TIMEOUT_SECONDS, Math.ceil((due - from) / 1000));
  due = Math.max(due, from + MIN_TIMEOUT_SECONDS * 1000);
  return {
    dueAt: new Date(due).toISOString(),
    timeoutSeconds,
    basis,
    minutes,
    configVersion: config.version,
  };
}
