import { formatIssues } from '../leads/lead-submission.ts';
import { type OpenDayDeps, OpenDayInvalid } from './keep-open-days.ts';
import {
  type OpenDay,
  OpenDayCancellation,
  OpenDayChange,
  orderProblems,
  TIMING_FIELDS,
  TOLD_FIELDS,
  timingProblems,
} from './open-day.ts';
import type { OpenDayChangeNotice } from './ports.ts';

/**
 * A campaign manager changes or cancels a planned open day (docs/open-days.md, "Changes and cancellation").
 * The change is written at once under a condition on the version read; the minute's sweep carries it out:
 * everyone registered is told (a change of what, when or where raises the invites' SEQUENCE, so calendars
 * update the entry; a cancellation cancels it), and seats a larger capacity frees go to the waitlist. A
 * change of its times starts the OpenDay run afresh under a new name; the older run ends when it wakes.
 */

/** Why a change or a cancel is not taken: the open day is past changing, or nothing is there. */
export type NotChangeable =
  | { kind: 'not_found' }
  | { kind: 'not_open'; status: OpenDay['status'] | 'started' };

export type Changed = { kind: 'changed' | 'unchanged' | 'cancelled'; openDay: OpenDay } | NotChangeable;

/** Rounds of reading again when another change was written first. */
const MAX_ROUNDS = 5;

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export async function changeOpenDay(deps: OpenDayDeps, openDayId: string, body: unknown): Promise<Changed> {
  const parsed = OpenDayChange.safeParse(body);
  if (!parsed.success) throw new OpenDayInvalid(formatIssues(parsed.error));
  const change = parsed.data;
  for (let round = 1; ; round++) {
    const read = await deps.openDays.get(openDayId);
    const refused = notChangeable(read, deps.now());
    if (refused || !read) return refused ?? { kind: 'not_found' };
    // Only what differs is a change: the same body sent again changes nothing and tells nobody.
    const fields = Object.entries(change).filter(([field, value]) =>
      value === null ? field in read : !same(read[field as keyof OpenDay], value),
    );
    if (fields.length === 0) return { kind: 'unchanged', openDay: read };
    const set: Partial<Record<keyof OpenDay, unknown>> = Object.fromEntries(fields);
    await checkChange(deps, read, set);

    const now = deps.now().toISOString();
    const told = fields.some(([field]) => (TOLD_FIELDS as readonly string[]).includes(field));
    const retimed = fields.some(([field]) => (TIMING_FIELDS as readonly string[]).includes(field));
    const sequence = told ? read.sequence + 1 : read.sequence;
    const run = retimed ? `${openDayId}-${Date.parse(now).toString(36)}` : undefined;
    Object.assign(set, {
      sequence,
      updatedAt: now,
      // The run started afresh reminds and follows up by the new times, from the beginning.
      ...(run ? { run, progress: { phase: 'reminders', leads: 0, noShows: 0 } } : {}),
    });
    const notice: OpenDayChangeNotice = { kind: told ? 'changed' : 'seats', sequence, at: now };
    const written = await deps.openDays.change(read, set, notice);
    if (written === 'not_found') return { kind: 'not_found' };
    if (written === 'below_seats') {
      throw new OpenDayInvalid([
        { path: 'capacity', message: `below the ${read.seatsTaken} seats held: nobody loses a seat` },
      ]);
    }
    if (written === 'changed') {
      if (run) {
        // A start lost here is made by the minute's sweep (the change listed the run as pending).
        await deps.runs.start(openDayId, run);
        await deps.openDays.runStarted(openDayId);
      }
      const openDay = await deps.openDays.get(openDayId);
      if (!openDay) return { kind: 'not_found' };
      return { kind: 'changed', openDay };
    }
    if (round >= MAX_ROUNDS) throw new Error(`Open day ${openDayId} kept changing under the change`);
  }
}

export async function cancelOpenDay(
  deps: OpenDayDeps,
  openDayId: string,
  by: string,
  body: unknown,
): Promise<Changed> {
  const parsed = OpenDayCancellation.safeParse(body ?? {});
  if (!parsed.success) throw new OpenDayInvalid(formatIssues(parsed.error));
  for (let round = 1; ; round++) {
    const read = await deps.openDays.get(openDayId);
    // A repeated cancel answers as the first did.
    if (read?.status === 'cancelled') return { kind: 'cancelled', openDay: read };
    const refused = notChangeable(read, deps.now());
    if (refused || !read) return refused ?? { kind: 'not_found' };
    const at = deps.now().toISOString();
    const sequence = read.sequence + 1;
    const cancelled = { at, by, ...(parsed.data.reason ? { reason: parsed.data.reason } : {}) };
    const written = await deps.openDays.change(
      read,
      { status: 'cancelled', cancelled, sequence, updatedAt: at },
      { kind: 'open_day_cancelled', sequence, at },
    );
    if (written === 'not_found') return { kind: 'not_found' };
    if (written === 'changed') {
      return {
        kind: 'cancelled',
        openDay: { ...read, status: 'cancelled', cancelled, sequence, updatedAt: at },
      };
    }
    if (round >= MAX_ROUNDS) throw new Error(`Open day ${openDayId} kept changing under the cancel`);
  }
}

/** An open day is changed or cancelled while it is open and has not begun. */
function notChangeable(openDay: OpenDay | undefined, now: Date): NotChangeable | undefined {
  if (!openDay) return { kind: 'not_found' };
  if (openDay.status !== 'open') return { kind: 'not_open', status: openDay.status };
  if (Date.parse(openDay.startsAt) <= now.getTime()) return { kind: 'not_open', status: 'started' };
  return undefined;
}

/** The open day as it would be, checked as a new one is: order, the future, and active hosts. */
async function checkChange(
  deps: OpenDayDeps,
  read: OpenDay,
  set: Partial<Record<keyof OpenDay, unknown>>,
): Promise<void> {
  const next = { ...read, ...set } as OpenDay;
  const issues = orderProblems(next);
  const now = deps.now();
  for (const problem of timingProblems(next, now)) {
    if (problem.path in set) issues.push(problem);
  }
  if (set.hosts) {
    const hosts = await Promise.all(next.hosts.map((id) => deps.managers.get(id)));
    hosts.forEach((host, i) => {
      if (!host?.active)
        issues.push({ path: `hosts.${i}`, message: 'not an active personal manager of the unit' });
    });
  }
  if (next.capacity < read.seatsTaken) {
    issues.push({
      path: 'capacity',
      message: `below the ${read.seatsTaken} seats held: nobody loses a seat`,
    });
  }
  if (issues.length) throw new OpenDayInvalid(issues);
}
