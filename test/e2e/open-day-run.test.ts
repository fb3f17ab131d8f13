import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { completeInn10 } from '#shared/leads/inn.ts';
import { call, dynamo, eventually, headToken, leadAtRest, mailbox, tableName, tokens } from './client.ts';
import { aboutToHappen, aGuest } from './open-day-fixtures.ts';
import { unitOf } from './regions.ts';

/** The region this file owns: no demo manager covers it, so its leads go to the managers it makes. */
const REGION = '74';
const inn = () => completeInn10(`${REGION}${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`);

/** The check-in code in the confirmation email's text (a signed token, as a QR of it shows at the door). */
const checkInCode = (text: string) => {
  const code = /: ([\w-]+\.[\w-]+\.[\w-]+)\. /.exec(text.slice(text.search(/код для входа/i)));
  if (!code?.[1]) throw new Error('no check-in code in the email');
  return code[1];
};

describe('an open day run end to end on the local runtime', () => {
  it('makes the attendee a lead routed to a personal manager, and writes to the no-show with the materials', async () => {
    const [pm] = await unitOf(REGION, 1);
    const { openDayId } = await aboutToHappen({
      title: { ru: 'День открытых дверей: экспорт' },
      materials: { url: 'https://bank.example/open-days/export' },
    });
    const tag = randomUUID().slice(0, 8);
    const [came, stayedAway] = [`came-${tag}@firm.example`, `away-${tag}@firm.example`];
    for (const [email, name] of [
      [came, 'Пришла'],
      [stayedAway, 'Не пришёл'],
    ] as const) {
      const guest = aGuest(name, email);
      const registered = await call('POST', `/v1/open-days/${openDayId}/registrations`, {
        body: {
          ...guest,
          company: { ...guest.company, inn: inn(), industry: 'manufacturing', sizeBand: 'medium' },
        },
      });
      expect(registered.body.status).toBe('confirmed');
    }
    const confirmation = await eventually(
      async () => (await mailbox()).find((e) => e.to.includes(came)),
      `the confirmation to ${came}`,
    );
    const checkedIn = await call('POST', `/v1/open-days/${openDayId}/check-ins`, {
      token: tokens()['pm-petrov'] ?? '',
      body: { code: checkInCode(confirmation.text) },
    });
    expect(checkedIn.body).toMatchObject({ outcome: 'checked_in' });

    // After the end, the run follows up and holds the open day.
    const held = await eventually(
      async () => {
        const read = await call('GET', `/v1/open-days/${openDayId}`, { token: headToken() });
        return read.body.status === 'held' ? read.body : undefined;
      },
      'the open day to be held',
      90_000,
    );
    expect(held).toMatchObject({ attended: 1, progress: { phase: 'held', leads: 1, noShows: 1 } });

    // The one who came is a lead of the open day's channel, routed to the region's manager.
    const leadId = await eventually(async () => {
      const { Items = [] } = await dynamo().send(
        new ScanCommand({
          TableName: await tableName(),
          FilterExpression: '#type = :lead AND attribution.campaignId = :openDay',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { ':lead': 'Lead', ':openDay': openDayId },
        }),
      );
      return Items[0]?.leadId as string | undefined;
    }, 'the lead of the attendee');
    const lead = await leadAtRest(leadId);
    expect(lead.attribution).toMatchObject({ channel: 'open_day', campaignId: openDayId });
    expect(lead.contact.email).toBe(came);
    expect(lead.assignedManager.managerId).toBe(pm?.managerId);

    // The one who did not come gets the follow-up with the materials, once.
    const followUps = await eventually(async () => {
      const found = (await mailbox()).filter(
        (e) => e.to.includes(stayedAway) && e.subject.startsWith('Жаль'),
      );
      return found.length ? found : undefined;
    }, 'the no-show follow-up');
    expect(followUps).toHaveLength(1);
    expect(followUps[0]?.text).toContain('https://bank.example/open-days/export');
    expect((await mailbox()).filter((e) => e.to.includes(came) && e.subject.startsWith('Жаль'))).toEqual([]);
  }, 180_000);
});
