import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LEAD_CLASSES, type LeadClass } from '#shared/leads/scoring.ts';
import {
  type AcceptanceSlaConfig,
  acceptanceDue,
  acceptanceSla,
  acceptanceSlaNamed,
  longestAcceptanceDays,
  parseAcceptanceSlaConfig,
} from '#shared/managers/acceptance-sla.ts';
import v1 from '#shared/managers/config/acceptance-sla.v1.json' with { type: 'json' };
import { STANDARD_WEEK, type WorkingHours } from '#shared/managers/roster.ts';
import { type Schedule, workingMinutesBetween } from '#shared/managers/working-time.ts';

const schedule = (workingHours: WorkingHours, holidays: string[] = []): Schedule => ({
  workingHours,
  holidays,
  absences: [],
});
const inZone = (timeZone: string): WorkingHours => ({ ...STANDARD_WEEK, timeZone });

const moscow = schedule(STANDARD_WEEK);
const vladivostok = schedule(inZone('Asia/Vladivostok'));
const newYork = schedule(inZone('America/New_York'));
const noHours = schedule({ timeZone: 'Europe/Moscow', week: {} });
const utc = (instant: string) => new Date(instant).toISOString();
const seconds = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 1000;

/** Consecutive ISO dates from `first`, `count` of them. */
const daysFrom = (first: string, count: number) =>
  Array.from({ length: count }, (_, i) =>
    new Date(Date.parse(first) + i * 86_400_000).toISOString().slice(0, 10),
  );

// The v1 file: key 60, priority 120, standard 240, unqualified 480, unscored 60 working minutes;
// fallback 1440 calendar minutes; no wait past 21 days. March 2025: Friday the 14th, Monday the 17th.
describe('acceptanceDue', () => {
  it('carries a Friday-evening assignment to Monday', () => {
    const assignedAt = '2025-03-14T19:30:00+03:00';
    expect(acceptanceDue(moscow, assignedAt, 'standard')).toEqual({
      dueAt: utc('2025-03-17T13:00:00+03:00'),
      timeoutSeconds: seconds(assignedAt, '2025-03-17T13:00:00+03:00'),
      basis: 'working_time',
      minutes: 240,
      configVersion: 'acceptance-sla-2026-11-v1',
    });
  });

  it('skips the manager’s holidays', () => {
    // Russia Day, Thursday 12 June 2025, and the bridge Friday after it.
    const assignedAt = new Date('2025-06-11T17:30:00+03:00');
    expect(acceptanceDue(moscow, assignedAt, 'key').dueAt).toBe(utc('2025-06-12T09:30:00+03:00'));
    const off = schedule(STANDARD_WEEK, ['2025-06-12', '2025-06-13']);
    expect(acceptanceDue(off, assignedAt, 'key').dueAt).toBe(utc('2025-06-16T09:30:00+03:00'));
  });

  it('gives each class its own time, a key lead the shortest', () => {
    const due = (leadClass: LeadClass | undefined) =>
      acceptanceDue(moscow, '2025-03-11T10:00:00+03:00', leadClass).dueAt;
    expect(due('key')).toBe(utc('2025-03-11T11:00:00+03:00'));
    expect(due('priority')).toBe(utc('2025-03-11T12:00:00+03:00'));
    expect(due('standard')).toBe(utc('2025-03-11T14:00:00+03:00'));
    expect(due('unqualified')).toBe(utc('2025-03-11T18:00:00+03:00'));
    // An existing client's lead is never scored; it is answered as fast as a key one.
    expect(due(undefined)).toBe(due('key'));
  });

  it('counts in the manager’s own time zone', () => {
    // Friday noon in Moscow is 19:00 in Vladivostok: the day is over there.
    const due = acceptanceDue(vladivostok, '2025-03-14T12:00:00+03:00', 'key');
    expect(due.dueAt).toBe(utc('2025-03-17T10:00:00+10:00'));
  });

  it('counts an hour less of calendar time across a spring-forward weekend', () => {
    // New York moved its clocks on Sunday 9 March 2025: Friday 17:30 EST to Monday 09:30 EDT is 63 hours.
    const due = acceptanceDue(newYork, '2025-03-07T17:30:00-05:00', 'key');
    expect(due.dueAt).toBe(utc('2025-03-10T09:30:00-04:00'));
    expect(due.timeoutSeconds).toBe(63 * 3600);
  });

  it('rounds the timeout up to whole seconds, so the timer never fires before the due time', () => {
    const due = acceptanceDue(moscow, '2025-03-11T10:00:00.250+03:00', 'key');
    // The clock counts whole minutes: a start part-way through one counts from the next.
    expect(due.dueAt).toBe(utc('2025-03-11T11:01:00+03:00'));
    expect(due.timeoutSeconds).toBe(3660);
  });

  it('falls back to calendar minutes for a schedule with no working time', () => {
    const due = acceptanceDue(noHours, '2025-03-14T19:30:00+03:00', 'key');
    expect(due).toMatchObject({
      dueAt: utc('2025-03-15T19:30:00+03:00'),
      timeoutSeconds: 86_400,
      basis: 'calendar_fallback',
      minutes: 1440,
    });
  });

  it('falls back when every day for more than 400 days is a holiday', () => {
    const holidays = daysFrom('2025-03-15', 420);
    const due = acceptanceDue(schedule(STANDARD_WEEK, holidays), '2025-03-14T19:30:00+03:00', 'standard');
    expect(due.basis).toBe('calendar_fallback');
    expect(due.dueAt).toBe(utc('2025-03-15T19:30:00+03:00'));
  });

  it('cuts a wait longer than maxWaitDays to it', () => {
    const holidays = daysFrom('2025-03-15', 60);
    const due = acceptanceDue(schedule(STANDARD_WEEK, holidays), '2025-03-14T19:30:00+03:00', 'key');
    expect(due).toMatchObject({
      dueAt: utc('2025-04-04T19:30:00+03:00'),
      timeoutSeconds: 21 * 86_400,
      basis: 'capped',
      minutes: 60,
    });
  });

  it('refuses an assignment time that is not a date', () => {
    expect(() => acceptanceDue(moscow, 'yesterday', 'key')).toThrow('assignedAt is not a valid date');
  });

  const schedules = [
    moscow,
    vladivostok,
    newYork,
    noHours,
    schedule(STANDARD_WEEK, daysFrom('2025-12-29', 12)),
  ];
  const instant = fc
    .integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse('2027-01-01T00:00:00Z') })
    .map((ms) => new Date(ms));
  const leadClass = fc.constantFrom<LeadClass | undefined>(...LEAD_CLASSES, undefined);

  it('sets a timer of whole seconds, at least a minute, that ends at the due time or within a second after', () => {
    fc.assert(
      fc.property(fc.constantFrom(...schedules), instant, leadClass, (s, assignedAt, c) => {
        const due = acceptanceDue(s, assignedAt, c);
        const waited = Date.parse(due.dueAt) - assignedAt.getTime();
        expect(Number.isInteger(due.timeoutSeconds)).toBe(true);
        expect(due.timeoutSeconds).toBeGreaterThanOrEqual(60);
        expect(due.timeoutSeconds * 1000 - waited).toBeGreaterThanOrEqual(0);
        expect(due.timeoutSeconds * 1000 - waited).toBeLessThan(1000);
        expect(waited).toBeLessThanOrEqual(acceptanceSla.maxWaitDays * 86_400_000);
        if (due.basis === 'working_time') {
          expect(workingMinutesBetween(s, assignedAt, new Date(due.dueAt))).toBe(due.minutes);
        }
        expect(due.basis === 'calendar_fallback').toBe(s === noHours);
      }),
    );
  });

  it('never makes a shorter SLA due later than a longer one', () => {
    const minutes = fc.integer({ min: 1, max: 3000 });
    fc.assert(
      fc.property(fc.constantFrom(...schedules), instant, minutes, minutes, (s, assignedAt, a, b) => {
        const config = structuredClone(acceptanceSla);
        config.workingMinutes.key = Math.min(a, b);
        config.workingMinutes.standard = Math.max(a, b);
        const key = acceptanceDue(s, assignedAt, 'key', config);
        const standard = acceptanceDue(s, assignedAt, 'standard', config);
        expect(Date.parse(key.dueAt)).toBeLessThanOrEqual(Date.parse(standard.dueAt));
      }),
    );
  });
});

describe('AcceptanceSlaConfig', () => {
  const copy = (): AcceptanceSlaConfig => structuredClone(acceptanceSla);

  it('accepts the v1 file', () => {
    expect(parseAcceptanceSlaConfig(structuredClone(v1))).toEqual(acceptanceSla);
    expect(acceptanceSla.maxAttempts).toBe(3);
  });

  it('rejects a class without its minutes and a class that does not exist, naming the paths', () => {
    const { key: _key, ...rest } = copy().workingMinutes;
    const config = { ...copy(), workingMinutes: { ...rest, vip: 30 } };
    expect(() => parseAcceptanceSlaConfig(config)).toThrow(
      /workingMinutes\.key: .*workingMinutes\.vip: Unknown field/s,
    );
  });

  it('rejects minutes that are not whole and positive, naming the path', () => {
    const config = copy();
    config.workingMinutes.priority = 0;
    config.unscoredWorkingMinutes = 1.5;
    expect(() => parseAcceptanceSlaConfig(config)).toThrow(
      /workingMinutes\.priority: .*unscoredWorkingMinutes: /s,
    );
  });

  it('rejects no attempts at all and a version in words', () => {
    const config = copy();
    config.maxAttempts = 0;
    config.version = 'the new one';
    expect(() => parseAcceptanceSlaConfig(config)).toThrow(/version: .*maxAttempts: /s);
  });

  it('rejects a fallback longer than the longest wait', () => {
    const config = copy();
    config.maxWaitDays = 1;
    config.fallbackMinutes = 1441;
    expect(() => parseAcceptanceSlaConfig(config)).toThrow(
      'fallbackMinutes: Must not exceed maxWaitDays (1440 minutes)',
    );
  });

  it('rejects waits that, attempt after attempt, would outlast the execution', () => {
    const config = copy();
    config.maxAttempts = 4;
    config.maxWaitDays = 91;
    expect(() => parseAcceptanceSlaConfig(config)).toThrow(
      'maxWaitDays: maxAttempts × maxWaitDays must fit in one execution (360 days)',
    );
  });
});

describe('the named configurations', () => {
  it('counts the drill in calendar seconds, whatever the schedule', () => {
    const drill = acceptanceSlaNamed('drill');
    const assignedAt = '2025-03-14T19:30:00+03:00'; // a Friday evening: no working time until Monday
    expect(acceptanceDue(noHours, assignedAt, 'key', drill)).toMatchObject({
      dueAt: new Date(Date.parse(assignedAt) + drill.workingMinutes.key * 1000).toISOString(),
      timeoutSeconds: drill.workingMinutes.key,
      basis: 'drill_seconds',
    });
    expect(acceptanceSla.clock).toBe('working_time');
  });

  it('refuses a name no configuration has, naming those there are', () => {
    expect(() => acceptanceSlaNamed('fast')).toThrow(/standard, drill, burst/);
    expect(() => acceptanceSlaNamed('toString')).toThrow(/Unknown acceptance SLA/);
  });

  it('gives the execution room for every attempt’s longest wait', () => {
    expect(longestAcceptanceDays(acceptanceSla)).toBe(
      acceptanceSla.maxAttempts * acceptanceSla.maxWaitDays + 1,
    );
  });
});
