import { describe, expect, it } from 'vitest';
import { Keys } from '#shared/access/keys.ts';
import { Directory } from '#shared/adapters/directory.ts';
import type { Email, Mail } from '#shared/leads/ports.ts';
import { OWED_GRACE_MS, sweepOpenDays } from '#shared/open-days/sweep-open-days.ts';
import { tellRegistrant } from '#shared/open-days/tell-registrant.ts';
import { aGuest, onDynamoDbLocal, recordedRuns, storedOpenDay } from './support/open-days.ts';

const local = onDynamoDbLocal();

const noticeKeys = Keys.derive('open-day-notices-test-key-material-0123456789');

/** SES as the sender sees it, for injecting its faults: it keeps what it takes, or fails while told to. */
class FlakySes implements Mail {
  readonly taken: Email[] = [];
  failing = false;
  async send(email: Email): Promise<string> {
    if (this.failing) throw new Error('SES is unavailable');
    this.taken.push(email);
    return `message-${this.taken.length}`;
  }
}

describe("a registrant's owed email on DynamoDB Local", () => {
  it('is sent once however often it is told, and a failed send stays owed until the sweep sends it', async () => {
    const openDay = await storedOpenDay(local.store, {
      capacity: 5,
      hosts: ['pm-nobody'],
      venue: { kind: 'online', url: 'https://meet.bank.example/open-day' },
    });
    const ses = new FlakySes();
    const at = '2026-12-02T10:00:00.000Z';
    const deps = {
      openDays: local.store,
      managers: new Directory(local.table.documentClient, local.table.tableName),
      mail: ses,
      keys: noticeKeys,
      apiUrl: 'https://api.bank.example',
      senderEmail: 'open-days@bank.example',
      now: () => new Date(at),
    };
    const person = (n: number) => aGuest(noticeKeys, openDay.openDayId, n, at);
    const [a, b] = [person(1), person(2)];
    await local.store.register(a, at);
    expect(await tellRegistrant(deps, openDay.openDayId, a.emailHash)).toBe('sent');
    expect(await tellRegistrant(deps, openDay.openDayId, a.emailHash)).toBe('nothing_owed');
    expect(ses.taken.map((e) => e.to)).toEqual([a.contact.email]);
    expect(ses.taken[0]?.attachments?.map((file) => file.fileName)).toEqual(['check-in.png', 'invite.ics']);

    // SES fails at the moment b registers: the email stays owed on the registration.
    await local.store.register(b, at);
    ses.failing = true;
    await expect(tellRegistrant(deps, openDay.openDayId, b.emailHash)).rejects.toThrow('SES is unavailable');
    expect((await local.store.registration(openDay.openDayId, b.emailHash))?.notice).toEqual({
      kind: 'confirmed',
      at,
    });
    ses.failing = false;

    // The sweep leaves an email owed for less than the grace (its request may still be sending it)...
    const runs = recordedRuns();
    const tell = (openDayId: string, emailHash: string) =>
      tellRegistrant(deps, openDayId, emailHash).then(() => {});
    const sweepAt = (ms: number) =>
      sweepOpenDays({ openDays: local.store, now: () => new Date(Date.parse(at) + ms), tell, runs });
    await sweepAt(OWED_GRACE_MS - 1000);
    expect(ses.taken.map((e) => e.to)).toEqual([a.contact.email]);
    // ...and sends it after, once.
    await sweepAt(OWED_GRACE_MS + 1000);
    await sweepAt(OWED_GRACE_MS + 2000);
    expect(ses.taken.map((e) => e.to)).toEqual([a.contact.email, b.contact.email]);
    // The open day was stored here without its run: the sweep starts it, once.
    expect(runs.started.filter((id) => id === openDay.openDayId)).toEqual([openDay.openDayId]);
    expect((await local.store.registration(openDay.openDayId, b.emailHash))?.notice).toBeUndefined();
  });
});
