import { randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { publishDemoConsentTexts } from '#local/demo-data.ts';
import { Keys } from '#shared/access/keys.ts';
import { ConsentStore } from '#shared/adapters/consent-store.ts';
import { Directory } from '#shared/adapters/directory.ts';
import { LeadStore } from '#shared/adapters/lead-store.ts';
import { DynamoRateLimiter } from '#shared/adapters/rate-limiter.ts';
import { SuppressionStore } from '#shared/adapters/suppression-store.ts';
import { keys } from '#shared/adapters/table.ts';
import { withdrawByLink } from '#shared/consents/withdrawal-link.ts';
import { captureLead } from '#shared/leads/capture-lead.ts';
import { MAX_ENQUIRIES_PER_LEAD } from '#shared/leads/enquiry.ts';
import type { Email } from '#shared/leads/ports.ts';
import { type RunOpenDayDeps, runOpenDay } from '#shared/open-days/run-open-day.ts';
import { aGuest, onDynamoDbLocal, storedOpenDay } from './support/open-days.ts';

const local = onDynamoDbLocal();

const runKeys = Keys.derive('open-day-run-test-key-material-0123456789ab');
const HOUR = 3_600_000;

/** The run's dependencies on DynamoDB Local, SES as the emails it was given, and a clock the test moves. */
async function runWorld() {
  const { documentClient, tableName } = local.table;
  const consentTexts = new ConsentStore(documentClient, tableName);
  await publishDemoConsentTexts(consentTexts);
  const clock = { now: () => new Date('2026-12-01T10:00:00.000Z') };
  const sent: Email[] = [];
  const leads = new LeadStore(documentClient, tableName);
  const suppressions = new SuppressionStore(documentClient, tableName);
  const deps: RunOpenDayDeps = {
    openDays: local.store,
    managers: new Directory(documentClient, tableName),
    mail: { send: async (email: Email) => `message-${sent.push(email)}` },
    keys: runKeys,
    apiUrl: 'https://api.bank.example',
    senderEmail: 'open-days@bank.example',
    suppressions,
    capture: (request) =>
      captureLead(
        {
          leads,
          rateLimiter: new DynamoRateLimiter(documentClient, tableName, 100),
          consentTexts,
          referrers: new Directory(documentClient, tableName),
          keys: runKeys,
          duplicateWindowDays: 30,
          now: () => clock.now(),
          newId: randomUUID,
          enquiryLimit: MAX_ENQUIRIES_PER_LEAD,
        },
        request,
      ),
    now: () => clock.now(),
    budgetMs: 60_000,
  };
  return { deps, sent, leads, suppressions, clock };
}

describe('the OpenDay run on DynamoDB Local', () => {
  it('reminds the confirmed once, then makes the attendees leads and writes to the no-shows, and holds it', async () => {
    const openDay = await storedOpenDay(local.store, { capacity: 3 });
    const { openDayId } = openDay;
    const [came, stayedAway, gaveUp] = [1, 2, 3].map((n) => aGuest(runKeys, openDayId, n)) as [
      ReturnType<typeof aGuest>,
      ReturnType<typeof aGuest>,
      ReturnType<typeof aGuest>,
    ];
    for (const guest of [came, stayedAway, gaveUp]) await local.store.register(guest, guest.registeredAt);
    await local.store.giveUp(openDayId, gaveUp.emailHash, '2026-11-02T10:00:00.000Z');

    const { deps, sent, leads, clock: at } = await runWorld();
    let clock = new Date('2026-12-01T10:00:00.000Z');
    at.now = () => clock;
    const remindAt = new Date(Date.parse(openDay.startsAt) - openDay.reminderHours * HOUR);

    // Weeks ahead: it waits for the reminder's time.
    expect(await runOpenDay(deps, openDayId)).toEqual({ outcome: 'wait', until: remindAt.toISOString() });
    // At that time: the two with a seat are reminded, and it waits for the check-in to close.
    clock = new Date(remindAt.getTime() + 60_000);
    const checkInEnds = new Date(
      Date.parse(openDay.endsAt) + openDay.checkInMinutesAfterEnd * 60_000,
    ).toISOString();
    expect(await runOpenDay(deps, openDayId)).toEqual({ outcome: 'wait', until: checkInEnds });
    expect(sent.map((e) => e.to).sort()).toEqual([came.contact.email, stayedAway.contact.email].sort());
    expect(sent[0]?.attachments?.map((file) => file.fileName)).toEqual(['check-in.png', 'invite.ics']);
    // A redelivered run reminds nobody twice.
    expect(await runOpenDay(deps, openDayId)).toEqual({ outcome: 'wait', until: checkInEnds });
    expect(sent).toHaveLength(2);

    // One of them comes.
    await local.table.documentClient.send(
      new UpdateCommand({
        TableName: local.table.tableName,
        Key: keys.registration(openDayId, came.emailHash),
        UpdateExpression: 'SET checkedIn = :in',
        ExpressionAttributeValues: { ':in': { at: openDay.startsAt, by: 'pm-ivanova' } },
      }),
    );
    clock = new Date(Date.parse(checkInEnds) + 60_000);
    expect(await runOpenDay(deps, openDayId)).toEqual({ outcome: 'held' });
    expect(await local.store.get(openDayId)).toMatchObject({
      status: 'held',
      progress: { phase: 'held', leads: 1, noShows: 1 },
    });
    // The no-show gets the follow-up; the one who came becomes a lead of the open day's channel.
    expect(sent.slice(2).map((e) => e.to)).toEqual([stayedAway.contact.email]);
    const { leadId } = (await local.store.registration(openDayId, came.emailHash)) ?? {};
    expect(await leads.get(leadId ?? '')).toMatchObject({
      attribution: { channel: 'open_day', campaignId: openDayId },
      company: { inn: came.company.inn },
      products: came.products,
    });
    // Its consents' evidence is the registration's: the run's own submission records none again.
    const history = new ConsentStore(local.table.documentClient, local.table.tableName);
    expect((await history.history(came.emailHash, { limit: 10 })).entries).toEqual([]);
    // Held: run again, nothing more is sent or captured.
    expect(await runOpenDay(deps, openDayId)).toEqual({ outcome: 'held' });
    expect(sent).toHaveLength(3);
  });
  it('writes no follow-up to a no-show who withdrew marketing through the link in their reminder, at once', async () => {
    const openDay = await storedOpenDay(local.store, { capacity: 2 });
    const { openDayId } = openDay;
    // Addresses of their own: the test before made its guests' addresses leads, with their consents.
    const [withdrew, stayed] = [11, 12].map((n) => aGuest(runKeys, openDayId, n)) as [
      ReturnType<typeof aGuest>,
      ReturnType<typeof aGuest>,
    ];
    for (const guest of [withdrew, stayed]) await local.store.register(guest, guest.registeredAt);
    const { deps, sent, suppressions, clock } = await runWorld();
    clock.now = () => new Date(Date.parse(openDay.startsAt) - openDay.reminderHours * HOUR + 60_000);
    expect(await runOpenDay(deps, openDayId)).toMatchObject({ outcome: 'wait' });

    // Each reminder's footer carries its registrant's own withdrawal link; one of them presses it.
    const linkOf = (email: Email | undefined) =>
      /https:\/\/api\.bank\.example\/v1\/consents\/withdraw\/([\w-]+\.[\w-]+\.[\w-]+)$/.exec(
        email?.text ?? '',
      );
    const reminded = sent.find((e) => e.to === withdrew.contact.email);
    const token = linkOf(reminded)?.[1] ?? '';
    const history = new ConsentStore(local.table.documentClient, local.table.tableName);
    const page = await withdrawByLink(
      { keys: runKeys, history, suppressions, now: deps.now, newId: randomUUID },
      token,
      { oneClick: true, client: { ip: '198.51.100.4', userAgent: 'Mozilla/5.0 (reminder)' } },
      'ru',
    );
    expect(page).toMatchObject({ kind: 'done', withdrawal: { withdrawn: ['marketing'], suppressed: true } });
    expect((await history.history(withdrew.emailHash, { limit: 10 })).entries).toEqual([
      expect.objectContaining({ action: 'withdrawn', purpose: 'marketing', channel: 'withdrawal_link' }),
    ]);

    // Neither comes: the one who withdrew gets no follow-up, the other does, with the link as its header.
    clock.now = () => new Date(Date.parse(openDay.endsAt) + openDay.checkInMinutesAfterEnd * 60_000 + 60_000);
    expect(await runOpenDay(deps, openDayId)).toEqual({ outcome: 'held' });
    expect(await local.store.get(openDayId)).toMatchObject({ progress: { leads: 0, noShows: 2 } });
    const followUps = sent.slice(2);
    expect(followUps.map((e) => e.to)).toEqual([stayed.contact.email]);
    const own = linkOf(followUps[0]);
    expect(own?.[1]).not.toBe(token);
    expect(followUps[0]?.headers).toEqual({
      'List-Unsubscribe': `<${own?.[0]}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });
});
