import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishDemoConsentTexts } from '#local/demo-data.ts';
import { CampaignResponseStore, campaignResponsePut } from '#shared/adapters/campaign-response-store.ts';
import { ConsentStore } from '#shared/adapters/consent-store.ts';
import { Directory } from '#shared/adapters/directory.ts';
import { LeadStore } from '#shared/adapters/lead-store.ts';
import { DynamoRateLimiter } from '#shared/adapters/rate-limiter.ts';
import { keys, transact } from '#shared/adapters/table.ts';
import { sendLetters } from '#shared/campaigns/send-letters.ts';
import { MAX_ENQUIRIES_PER_LEAD } from '#shared/leads/enquiry.ts';
import { respondToLetter } from '#shared/letters/respond-to-letter.ts';
import { letterResponseLink } from '#shared/letters/response-link.ts';
import { startAttractTable } from './support/attract-table.ts';
import { aProspect, CampaignWorld, campaignKeys } from './support/campaign-world.ts';

let table: Awaited<ReturnType<typeof startAttractTable>>;
beforeAll(async () => {
  table = await startAttractTable();
});
afterAll(async () => {
  await table?.stop();
});

const DAY = 86_400_000;

describe("a campaign's follow-up on DynamoDB Local", () => {
  it('waits the configured days after step 1, then writes only to those who did not answer, and completes', async () => {
    const world = new CampaignWorld(table);
    const start = new Date('2026-11-02T10:00:00.000Z');
    world.setClock(start);
    const [a, answered, c] = await world.prospects([aProspect(3001), aProspect(3002), aProspect(3003)]);
    const audienceId = await world.frozenAudience([a, answered, c]);
    const followUp = await world.approvedOffer();
    const campaignId = await world.launched([audienceId], {
      steps: [
        { offerId: await world.approvedOffer(), version: 1 },
        { offerId: followUp, version: 1, waitDays: 3 },
      ],
    });
    const deps = world.sendDeps();

    // Step 1 goes to everyone; then the run waits out the follow-up's three days.
    expect(await sendLetters(deps, campaignId)).toEqual({
      outcome: 'wait',
      until: '2026-11-05T10:00:00.000Z',
    });
    expect(world.ses.taken.map((e) => e.to).sort()).toEqual(
      [a, answered, c].map((p) => p.contact.email).sort(),
    );
    // An early wake-up (a redelivered Wait) waits again, sending nothing.
    world.setClock(new Date(start.getTime() + DAY));
    expect(await sendLetters(deps, campaignId)).toEqual({
      outcome: 'wait',
      until: '2026-11-05T10:00:00.000Z',
    });

    // One prospect sends the letter's "request a call" form: the capture path keeps the response.
    const at = new Date(start.getTime() + DAY).toISOString();
    await transact(table.documentClient, [
      campaignResponsePut(table.tableName, {
        campaignId,
        prospectId: answered.prospectId,
        leadId: 'lead-1',
        at,
      }),
    ]);
    expect(await world.campaignDeps.responses.count(campaignId)).toBe(1);

    world.setClock(new Date(start.getTime() + 3 * DAY + 60_000));
    expect(await sendLetters(deps, campaignId)).toEqual({ outcome: 'more' });
    expect((await world.campaignDeps.campaigns.get(campaignId))?.currentStep).toBe(2);
    expect(await sendLetters(deps, campaignId)).toEqual({ outcome: 'completed' });

    expect(world.ses.lettersTo(a.contact.email)).toBe(2);
    expect(world.ses.lettersTo(c.contact.email)).toBe(2);
    expect(world.ses.lettersTo(answered.contact.email)).toBe(1);
    const step2 = await world.campaignDeps.progress.progress(campaignId, 2);
    expect(step2).toMatchObject({ total: 3, sent: 2, skipped: { responded: 1 }, failed: 0, passDone: true });
    const record = await world.campaignDeps.progress.records(campaignId, 2, [answered.prospectId]);
    expect(record.get(answered.prospectId)).toMatchObject({ status: 'skipped', reason: 'responded' });
    const campaign = await world.campaignDeps.campaigns.get(campaignId);
    expect(campaign).toMatchObject({
      status: 'completed',
      endedAt: new Date(start.getTime() + 3 * DAY + 60_000).toISOString(),
    });
  });
});

describe("a letter's response on DynamoDB Local", () => {
  it('is kept with the lead in the capture, once a prospect however often they answer', async () => {
    const world = new CampaignWorld(table);
    const [prospect] = await world.prospects([aProspect(3101)]);
    const campaignId = randomUUID();
    const store = <T>(Adapter: new (client: typeof table.documentClient, tableName: string) => T) =>
      new Adapter(table.documentClient, table.tableName);
    // The page's consent text (RESPONSE_CONSENT_VERSION) is published, as the bank publishes its texts.
    const consentTexts = store(ConsentStore);
    await publishDemoConsentTexts(consentTexts);
    const deps = {
      leads: store(LeadStore),
      referrers: store(Directory),
      consentTexts,
      keys: campaignKeys,
      rateLimiter: new DynamoRateLimiter(table.documentClient, table.tableName, 100),
      duplicateWindowDays: 30,
      now: () => new Date(),
      newId: randomUUID,
      enquiryLimit: MAX_ENQUIRIES_PER_LEAD,
      prospects: { get: async () => prospect },
    };
    const recipient = { campaignId, prospectId: prospect.prospectId, step: 1 };
    const link = await letterResponseLink(campaignKeys, 'https://api.bank.example', recipient, new Date());
    const token = link.split('/').at(-1) ?? '';
    const form = {
      companyName: prospect.company.name,
      inn: prospect.company.inn,
      contactName: prospect.contact.name,
      email: prospect.contact.email,
      phone: '+74951234567',
      products: ['settlement_account'],
      message: '',
      consent: true,
    };
    const request = { clientAddress: '203.0.113.9', readerLocale: 'ru' as const };

    expect(await respondToLetter(deps, token, form, request)).toMatchObject({ kind: 'done' });
    // Pressed again: an enquiry on the same lead, and still one prospect who answered.
    expect(await respondToLetter(deps, token, { ...form, message: 'Ещё раз' }, request)).toMatchObject({
      kind: 'done',
    });

    const responses = store(CampaignResponseStore);
    expect(await responses.count(campaignId)).toBe(1);
    expect(await responses.responded(campaignId, [prospect.prospectId, 'someone-else'])).toEqual(
      new Set([prospect.prospectId]),
    );
    const { Item } = await table.documentClient.send(
      new GetCommand({
        TableName: table.tableName,
        Key: keys.campaignResponse(campaignId, prospect.prospectId),
      }),
    );
    const lead = await deps.leads.get(String(Item?.leadId));
    expect(lead?.attribution).toMatchObject({
      channel: 'letter',
      campaignId,
      prospectId: prospect.prospectId,
    });
  });
});
