import { randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { publishDemoConsentTexts } from '#local/demo-data.ts';
import { Keys } from '#shared/access/keys.ts';
import { ConsentStore } from '#shared/adapters/consent-store.ts';
import { Directory } from '#shared/adapters/directory.ts';
import { LeadStore } from '#shared/adapters/lead-store.ts';
import { DynamoRateLimiter } from '#shared/adapters/rate-limiter.ts';
import { keys } from '#shared/adapters/table.ts';
import { captureLead } from '#shared/leads/capture-lead.ts';
import { MAX_ENQUIRIES_PER_LEAD } from '#shared/leads/enquiry.ts';
import type { Email } from '#shared/leads/ports.ts';
import { runOpenDay } from '#shared/open-days/run-open-day.ts';
import { aGuest, onDynamoDbLocal, storedOpenDay } from './support/open-days.ts';

const local = onDynamoDbLocal();

const runKeys = Keys.derive('open-day-run-test-key-material-0123456789ab');
const HOUR = 3_600_000;

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

    const consentTexts = new ConsentStore(local.table.documentClient, local.table.tableName);
    await publishDemoConsentTexts(consentTexts);
    let clock = new Date('2026-12-01T10:00:00.000Z');
    const sent: Email[] = [];
    const leads = new LeadStore(local.table.documentClient, local.table.tableName);
    const deps = {
      openDays: local.store,
      managers: new Directory(local.table.documentClient, local.table.tableName),
      mail: { send: async (email: Email) => `message-${sent.push(email)}` },
      keys: runKeys,
      apiUrl: 'https://api.bank.example',
      senderEmail: 'open-days@bank.example',
      capture: (request: Parameters<typeof captureLead>[1]) =>
        captureLead(
          {
            leads,
            rateLimiter: new DynamoRateLimiter(local.table.documentClient, local.table.tableName, 100),
            consentTexts,
            referrers: new Directory(local.table.documentClient, local.table.tableName),
            keys: runKeys,
            duplicateWindowDays: 30,
            now: () => clock,
            newId: randomUUID,
            enquiryLimit: MAX_ENQUIRIES_PER_LEAD,
          },
          request,
        ),
      now: () => clock,
      budgetMs: 60_000,
    };
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
    expect(sent[0]?.attachments?.[0]?.fileName).toBe('invite.ics');
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
    // Held: run again, nothing more is sent or captured.
    expect(await runOpenDay(deps, openDayId)).toEqual({ outcome: 'held' });
    expect(sent).toHaveLength(3);
  });
});
