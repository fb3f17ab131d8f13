import { describe, expect, it } from 'vitest';
import { Keys } from '#shared/access/keys.ts';
import { Directory } from '#shared/adapters/directory.ts';
import { SuppressionStore } from '#shared/adapters/suppression-store.ts';
import type { Email, Mail } from '#shared/leads/ports.ts';
import { cancelOpenDay, changeOpenDay } from '#shared/open-days/change-open-day.ts';
import { OpenDayInvalid } from '#shared/open-days/keep-open-days.ts';
import { runOpenDay } from '#shared/open-days/run-open-day.ts';
import { sweepOpenDays } from '#shared/open-days/sweep-open-days.ts';
import { tellRegistrant } from '#shared/open-days/tell-registrant.ts';
import { aGuest, onDynamoDbLocal, recordedRuns, storedOpenDay } from './support/open-days.ts';

const local = onDynamoDbLocal();

const changeKeys = Keys.derive('open-day-changes-test-key-material-012345678');
const AT = '2026-11-20T10:00:00.000Z';

/** SES as the sender sees it: what it took, in order. */
class TakenMail implements Mail {
  readonly taken: Email[] = [];
  async send(email: Email): Promise<string> {
    this.taken.push(email);
    return `message-${this.taken.length}`;
  }
}

function world() {
  const mail = new TakenMail();
  const runs = recordedRuns();
  const managers = new Directory(local.table.documentClient, local.table.tableName);
  const clock = { now: new Date(AT) };
  const tellDeps = {
    openDays: local.store,
    managers,
    mail,
    keys: changeKeys,
    apiUrl: 'https://api.bank.example',
    senderEmail: 'open-days@bank.example',
    now: () => clock.now,
  };
  const tell = (openDayId: string, emailHash: string) =>
    tellRegistrant(tellDeps, openDayId, emailHash).then(() => {});
  return {
    mail,
    runs,
    clock,
    // The campaign manager's side: the hosts are checked only when they change.
    keep: { openDays: local.store, runs, managers, now: () => clock.now, newId: () => 'unused' },
    sweep: () => sweepOpenDays({ openDays: local.store, now: () => clock.now, tell, runs }),
    tell,
    // The OpenDay run before the open day: it only waits (no attendee is captured yet).
    runDeps: {
      ...tellDeps,
      suppressions: new SuppressionStore(local.table.documentClient, local.table.tableName),
      capture: async () => {
        throw new Error('Nobody attended yet');
      },
      budgetMs: 10_000,
    },
  };
}

type Guest = ReturnType<typeof aGuest>;
type Guests = [Guest, Guest, Guest, Guest];

const invite = (email: Email | undefined) =>
  String(email?.attachments?.find((file) => file.fileName === 'invite.ics')?.content ?? '');

describe("an open day's changes on DynamoDB Local", () => {
  it('tells everyone registered of a move once, with the version they knew; calendars get SEQUENCE 1', async () => {
    const w = world();
    const openDay = await storedOpenDay(w.keep.openDays, { capacity: 1 });
    const { openDayId } = openDay;
    const [seated, waiting, gone] = [1, 2, 3].map((n) => aGuest(changeKeys, openDayId, n, AT)) as Guests;
    for (const guest of [seated, waiting, gone]) {
      await local.store.register(guest, AT);
      await w.tell(openDayId, guest.emailHash);
    }
    await local.store.giveUp(openDayId, gone.emailHash, AT);
    await w.tell(openDayId, gone.emailHash);
    w.mail.taken.length = 0;

    w.clock.now = new Date('2026-11-21T10:00:00.000Z');
    const moved = await changeOpenDay(w.keep, openDayId, {
      startsAt: '2026-12-11T10:00:00+03:00',
      endsAt: '2026-12-11T13:00:00+03:00',
      registrationClosesAt: '2026-12-10T18:00:00+03:00',
    });
    expect(moved.kind).toBe('changed');
    if (moved.kind !== 'changed') return;
    expect(moved.openDay).toMatchObject({ sequence: 1, startsAt: '2026-12-11T07:00:00.000Z' });
    // Its times moved: a run under a new name, the older one superseded.
    expect(moved.openDay.run).toMatch(new RegExp(`^${openDayId}-`));
    expect(w.runs.started).toEqual([moved.openDay.run]);
    expect(await runOpenDay(w.runDeps, openDayId)).toEqual({ outcome: 'superseded' });
    // The new run waits for the reminder's time by the new start: 24 hours before it.
    expect(await runOpenDay(w.runDeps, openDayId, moved.openDay.run)).toEqual({
      outcome: 'wait',
      until: '2026-12-10T07:00:00.000Z',
    });
    expect(await local.store.version(openDayId, 0)).toMatchObject({
      sequence: 0,
      startsAt: openDay.startsAt,
    });
    // The same body again changes nothing and tells nobody.
    expect((await changeOpenDay(w.keep, openDayId, { startsAt: '2026-12-11T10:00:00+03:00' })).kind).toBe(
      'unchanged',
    );

    await w.sweep();
    await w.sweep();
    expect(w.mail.taken.map((e) => e.to).sort()).toEqual(
      [seated.contact.email, waiting.contact.email].sort(),
    );
    const toSeated = w.mail.taken.find((e) => e.to === seated.contact.email);
    expect(toSeated?.subject).toContain('Изменения');
    expect(toSeated?.text).toContain('10 декабря');
    expect(invite(toSeated)).toMatch(/METHOD:REQUEST[\s\S]*SEQUENCE:1/);
    expect(invite(toSeated)).toContain('DTSTART:20261211T070000Z');
    // Waiting in line: no calendar entry to update.
    expect(w.mail.taken.find((e) => e.to === waiting.contact.email)?.attachments).toBeUndefined();
    const told = await local.store.registration(openDayId, seated.emailHash);
    expect(told).toMatchObject({ toldSequence: 1 });
    expect(told?.notice).toBeUndefined();
  });

  it('refuses a capacity below the seats held, and offers the seats a larger one frees to the line', async () => {
    const w = world();
    const { openDayId } = await storedOpenDay(w.keep.openDays, { capacity: 2 });
    // In line in the order they came.
    const cameAt = (n: number) => new Date(Date.parse(AT) + n * 1000).toISOString();
    const guests = [1, 2, 3, 4].map((n) => aGuest(changeKeys, openDayId, n, cameAt(n))) as Guests;
    for (const guest of guests) await local.store.register(guest, guest.registeredAt);

    await expect(changeOpenDay(w.keep, openDayId, { capacity: 1 })).rejects.toThrow(OpenDayInvalid);
    await expect(
      changeOpenDay(w.keep, openDayId, { endsAt: '2026-12-10T09:00:00+03:00' }),
    ).rejects.toMatchObject({ issues: [{ path: 'endsAt', message: 'the end is after the start' }] });

    const larger = await changeOpenDay(w.keep, openDayId, { capacity: 3 });
    expect(larger).toMatchObject({ kind: 'changed', openDay: { capacity: 3, sequence: 0 } });
    await w.sweep();
    const third = await local.store.registration(openDayId, guests[2].emailHash);
    expect(third?.status).toBe('offered');
    expect((await local.store.registration(openDayId, guests[3].emailHash))?.status).toBe('waitlisted');
    expect((await local.store.get(openDayId))?.seatsTaken).toBe(3);
  });

  it('cancels once: registration closes, everyone holding a seat or a place is told, calendar entries cancelled', async () => {
    const w = world();
    const { openDayId } = await storedOpenDay(w.keep.openDays, { capacity: 1 });
    const [seated, waiting] = [1, 2].map((n) => aGuest(changeKeys, openDayId, n, AT)) as Guests;
    await local.store.register(seated, AT);
    await local.store.register(waiting, AT);
    // Their confirmations are still owed when the open day is cancelled: the cancellation takes their place.
    const cancelled = await cancelOpenDay(w.keep, openDayId, 'anna.campaigns', { reason: 'Зал закрыт' });
    expect(cancelled).toMatchObject({
      kind: 'cancelled',
      openDay: {
        status: 'cancelled',
        sequence: 1,
        cancelled: { by: 'anna.campaigns', reason: 'Зал закрыт' },
      },
    });
    expect((await cancelOpenDay(w.keep, openDayId, 'anna.campaigns', {})).kind).toBe('cancelled');
    expect(await changeOpenDay(w.keep, openDayId, { capacity: 5 })).toEqual({
      kind: 'not_open',
      status: 'cancelled',
    });
    expect(await local.store.register(aGuest(changeKeys, openDayId, 3, AT), AT)).toEqual({
      outcome: 'closed',
    });

    await w.sweep();
    await w.sweep();
    expect(w.mail.taken.map((e) => e.subject)).toHaveLength(2);
    const toSeated = w.mail.taken.find((e) => e.to === seated.contact.email);
    expect(toSeated?.subject).toContain('Отменено');
    expect(invite(toSeated)).toMatch(/METHOD:CANCEL[\s\S]*SEQUENCE:2/);
    expect(w.mail.taken.find((e) => e.to === waiting.contact.email)?.attachments).toBeUndefined();
    expect(await local.store.pendingChanges(100)).not.toContainEqual(expect.objectContaining({ openDayId }));
  });
});
