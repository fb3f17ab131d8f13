import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEnquiry, publishDemoConsentTexts } from '#local/demo-data.ts';
import { costPerLead, recordSpend } from '#shared/ad-spend/keep-ad-spend.ts';
import { AdSpendStore } from '#shared/adapters/ad-spend-store.ts';
import { ConsentStore } from '#shared/adapters/consent-store.ts';
import { Directory } from '#shared/adapters/directory.ts';
import { LeadStore } from '#shared/adapters/lead-store.ts';
import { DynamoRateLimiter } from '#shared/adapters/rate-limiter.ts';
import { type CaptureDeps, captureLead } from '#shared/leads/capture-lead.ts';
import { MAX_ENQUIRIES_PER_LEAD } from '#shared/leads/enquiry.ts';
import { RecordedCostEvents } from '../unit/support/in-memory-ad-spend.ts';
import { startAttractTable } from './support/attract-table.ts';
import { campaignKeys } from './support/campaign-world.ts';

let table: Awaited<ReturnType<typeof startAttractTable>>;
let captureDeps: CaptureDeps;
let spends: AdSpendStore;
beforeAll(async () => {
  table = await startAttractTable();
  const consents = new ConsentStore(table.documentClient, table.tableName);
  await publishDemoConsentTexts(consents);
  spends = new AdSpendStore(table.documentClient, table.tableName);
  captureDeps = {
    leads: new LeadStore(table.documentClient, table.tableName),
    referrers: new Directory(table.documentClient, table.tableName),
    consentTexts: consents,
    keys: campaignKeys,
    rateLimiter: new DynamoRateLimiter(table.documentClient, table.tableName, 1000),
    duplicateWindowDays: 30,
    // Late on 31 October in UTC is already November in Moscow.
    now: () => new Date('2026-10-31T21:30:00.000Z'),
    newId: randomUUID,
    enquiryLimit: MAX_ENQUIRIES_PER_LEAD,
  };
});
afterAll(async () => {
  await table?.stop();
});

const submit = async (body: Record<string, unknown>) => {
  const answer = await captureLead(captureDeps, { channel: 'web', body, clientAddress: '198.51.100.9' });
  if (answer.kind !== 'accepted') throw new Error(`not accepted: ${JSON.stringify(answer)}`);
  return answer;
};

describe('advertising spend and cost per lead, on DynamoDB Local', () => {
  it("counts new leads in the capture's transaction, concurrently and exactly, never an enquiry", async () => {
    const cpc = { utm: { source: 'Yandex', medium: 'cpc', campaign: 'sme-autumn' } };
    const firsts = Array.from({ length: 48 }, () => demoEnquiry({ source: cpc }));
    const answers = await Promise.all(firsts.map(submit));
    expect(answers.every((a) => a.outcome === 'created')).toBe(true);
    // A returning company is an enquiry: its lead was counted when it came first.
    const first = firsts[0] ?? demoEnquiry();
    expect((await submit({ ...first, source: { utm: { source: 'vk' } } })).outcome).toBe('enquiry');
    await submit(demoEnquiry({ source: { utm: { source: 'vk' } } }));
    await submit(demoEnquiry({ source: {} }));

    const counts = await spends.leadCountsOf('2026-11');
    expect(counts.sort((a, b) => a.source.localeCompare(b.source))).toEqual([
      {
        month: '2026-11',
        source: 'vk',
        medium: '',
        campaign: '',
        leads: 1,
        conversions: 0,
        leadCostsKopecks: 0,
      },
      {
        month: '2026-11',
        source: 'yandex',
        medium: 'cpc',
        campaign: 'sme-autumn',
        leads: 48,
        conversions: 0,
        leadCostsKopecks: 0,
      },
    ]);
    expect(await spends.leadCountsOf('2026-10')).toEqual([]);
  });

  it('records a spend once under its key, corrects it, and reports cost per lead from the counters', async () => {
    const events = new RecordedCostEvents();
    const deps = { spends, events, now: () => new Date('2026-12-01T09:00:00.000Z') };
    const body = { month: '2026-11', source: 'yandex', medium: 'cpc', amountKopecks: 48_000_00 };
    expect(await recordSpend(deps, 'anna', body)).toMatchObject({ action: 'created' });
    const again = await recordSpend(
      { ...deps, now: () => new Date('2026-12-02T09:00:00.000Z') },
      'oleg',
      body,
    );
    // A retried write records nothing: who recorded it, and when, stay the first's.
    expect(again).toMatchObject({
      action: 'unchanged',
      spend: { recordedBy: 'anna', recordedAt: '2026-12-01T09:00:00.000Z' },
    });
    // Announced again from what is stored, under the same id: a consumer drops the repeat.
    const [first, retried] = events.published.map((e) => e.detail);
    expect(retried).toEqual(first);
    expect(await recordSpend(deps, 'anna', { ...body, amountKopecks: 60_000_00 })).toMatchObject({
      action: 'updated',
    });
    await recordSpend(deps, 'anna', {
      month: '2026-11',
      source: 'vk',
      campaign: 'winter',
      amountKopecks: 5_000_00,
    });

    expect(await costPerLead(deps, { from: '2026-10', to: '2026-11' })).toEqual([
      {
        month: '2026-11',
        source: 'vk',
        medium: null,
        campaign: 'winter',
        kind: 'advertising',
        spendKopecks: 5_000_00,
        leads: 0,
        leadCostsKopecks: 0,
        costPerLeadKopecks: null,
        conversions: 0,
        costPerConversionKopecks: null,
      },
      {
        month: '2026-11',
        source: 'yandex',
        medium: 'cpc',
        campaign: null,
        kind: 'advertising',
        spendKopecks: 60_000_00,
        leads: 48,
        leadCostsKopecks: 0,
        costPerLeadKopecks: 1_250_00,
        conversions: 0,
        costPerConversionKopecks: null,
      },
    ]);
  });
});
