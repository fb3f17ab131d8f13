import { type FieldIssue, formatIssues } from '../leads/lead-submission.ts';
import type { Managers } from '../leads/ports.ts';
import { type OpenDay, OpenDayInput, timingProblems } from './open-day.ts';
import type { OpenDayRuns, OpenDays } from './ports.ts';

/**
 * The campaign manager's open days (docs/open-days.md): one is planned for the future, hosted by personal
 * managers of the unit's directory, and from then on takes registrations until its deadline.
 */

export type OpenDayDeps = {
  openDays: OpenDays;
  runs: OpenDayRuns;
  managers: Pick<Managers, 'get'>;
  now: () => Date;
  newId: () => string;
};

export class OpenDayInvalid extends Error {
  override name = 'OpenDayInvalid';
  readonly issues: FieldIssue[];
  constructor(issues: FieldIssue[]) {
    super(`The open day is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.issues = issues;
  }
}

export async function createOpenDay(deps: OpenDayDeps, author: string, body: unknown): Promise<OpenDay> {
  const parsed = OpenDayInput.safeParse(body);
  if (!parsed.success) throw new OpenDayInvalid(formatIssues(parsed.error));
  const input = parsed.data;
  const now = deps.now();
  const issues = timingProblems(input, now);
  const hosts = await Promise.all(input.hosts.map((id) => deps.managers.get(id)));
  hosts.forEach((host, i) => {
    if (!host?.active)
      issues.push({ path: `hosts.${i}`, message: 'not an active personal manager of the unit' });
  });
  if (issues.length) throw new OpenDayInvalid(issues);
  const at = now.toISOString();
  const openDay: OpenDay = {
    ...input,
    openDayId: deps.newId(),
    status: 'open',
    sequence: 0,
    seatsTaken: 0,
    waitlisted: 0,
    author,
    createdAt: at,
    updatedAt: at,
  };
  if ((await deps.openDays.create(openDay)) === 'exists')
    throw new Error(`Open day ${openDay.openDayId} exists`);
  // Its run, named by its id; a start lost here is made by the minute's sweep.
  await deps.runs.start(openDay.openDayId);
  await deps.openDays.runStarted(openDay.openDayId);
  return openDay;
}
