import { describe, expect, it } from 'vitest';
import { demoEnquiry } from '#local/demo-data.ts';
import {
  CostReportQuery,
  costRowsOf,
  leadSourceCountOf,
  monthsBetween,
  moscowMonthOf,
  SpendBody,
} from '#shared/ad-spend/ad-spend.ts';
import { costPerLead, recordSpend } from '#shared/ad-spend/keep-ad-spend.ts';
import { captureLead } from '#shared/leads/capture-lead.ts';
import { formatIssues } from '#shared/leads/lead-submission.ts';
import { captureDepsOf } from './support/capture.ts';
import { InMemoryBank, testClock } from './support/in-memory.ts';
import { InMemoryAdSpends, RecordedCostEvents } from './support/in-memory-ad-spend.ts';

const pathsOf = (schema: typeof SpendBody | typeof CostReportQuery, value: unknown) => {
  const parsed = schema.safeParse(value);
  return parsed.success ? [] : formatIssues(parsed.error).map((i) => i.path);
};

describe('advertising spend and cost per lead: the rules', () => {
  it('counts a lead in the Moscow calendar month it came in', () => {
    expect(moscowMonthOf('2026-10-31T20:59:59.000Z')).toBe('2026-10');
    expect(moscowMonthOf('2026-10-31T21:00:00.000Z')).toBe('2026-11');
    expect(moscowMonthOf('2026-12-31T21:30:00.000Z')).toBe('2027-01');
  });

  it('counts a lead under its UTM source, medium and campaign as compared (trimmed, lower case), or nowhere', () => {
    expect(
      leadSourceCountOf(
        { utm: { source: ' Yandex ', medium: 'CPC', campaign: 'SME-Autumn' } },
        '2026-11-23T10:00:00Z',
      ),
    ).toEqual({ month: '2026-11', source: 'yandex', medium: 'cpc', campaign: 'sme-autumn' });
    expect(leadSourceCountOf({ utm: { source: 'vk' } }, '2026-11-23T10:00:00Z')).toEqual({
      month: '2026-11',
      source: 'vk',
      medium: '',
      campaign: '',
    });
    expect(leadSourceCountOf({ utm: { medium: 'cpc' } }, '2026-11-23T10:00:00Z')).toBeUndefined();
    expect(leadSourceCountOf({ utm: { source: '  ' } }, '2026-11-23T10:00:00Z')).toBeUndefined();
    expect(leadSourceCountOf({}, '2026-11-23T10:00:00Z')).toBeUndefined();
  });

  it('takes a spend as whole kopecks for a month, and names every field at fault', () => {
    expect(SpendBody.parse({ month: '2026-11', source: ' Yandex', amountKopecks: 1_250_000_00 })).toEqual({
      month: '2026-11',
      source: 'yandex',
      kind: 'advertising',
      amountKopecks: 125_000_000,
    });
    expect(pathsOf(SpendBody, { month: '2026-11', source: 'vk', kind: 'bribe', amountKopecks: 1 })).toEqual([
      'kind',
    ]);
    expect(
      pathsOf(SpendBody, { month: '2026-13', source: '', amountKopecks: 10.5, currency: 'RUB' }),
    ).toEqual(['month', 'source', 'amountKopecks', 'currency']);
    expect(pathsOf(SpendBody, { month: '2026-11', source: 'vk', amountKopecks: -1 })).toEqual([
      'amountKopecks',
    ]);
  });

  it('reports at most twelve months, the last not before the first', () => {
    expect(monthsBetween('2026-11', '2027-02')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(pathsOf(CostReportQuery, { from: '2026-11', to: '2026-10' })).toEqual(['to']);
    expect(pathsOf(CostReportQuery, { from: '2026-01', to: '2026-12' })).toEqual([]);
    expect(pathsOf(CostReportQuery, { from: '2026-01', to: '2027-01' })).toEqual(['to']);
    expect(pathsOf(CostReportQuery, { from: 'November', to: '2026-10' })).toEqual(['from']);
  });

  it('sets each spend against the leads its key matches, and lists sources that brought leads for free', () => {
    const counts = [
      {
        month: '2026-11',
        source: 'yandex',
        medium: 'cpc',
        campaign: 'sme',
        leads: 3,
        conversions: 1,
        leadCostsKopecks: 0,
      },
      {
        month: '2026-11',
        source: 'yandex',
        medium: 'display',
        campaign: '',
        leads: 1,
        conversions: 1,
        leadCostsKopecks: 0,
      },
      {
        month: '2026-11',
        source: 'vk',
        medium: '',
        campaign: '',
        leads: 2,
        conversions: 0,
        leadCostsKopecks: 0,
      },
      {
        month: '2026-11',
        source: 'partner-blog',
        medium: '',
        campaign: '',
        leads: 4,
        conversions: 2,
        leadCostsKopecks: 0,
      },
    ];
    const spends = [
      { month: '2026-11', source: 'yandex', kind: 'advertising' as const, amountKopecks: 100_000 },
      {
        month: '2026-11',
        source: 'yandex',
        medium: 'cpc',
        kind: 'advertising' as const,
        amountKopecks: 90_000,
      },
      {
        month: '2026-11',
        source: 'vk',
        campaign: 'winter',
        kind: 'advertising' as const,
        amountKopecks: 50_000,
      },
    ];
    expect(costRowsOf('2026-11', spends, counts)).toEqual([
      row('partner-blog', null, null, null, 4, null, 2, null),
      row('vk', null, 'winter', 50_000, 0, null),
      row('yandex', null, null, 100_000, 4, 25_000, 2, 50_000),
      row('yandex', 'cpc', null, 90_000, 3, 30_000, 1, 90_000),
    ]);
  });
});

const row = (
  source: string,
  medium: string | null,
  campaign: string | null,
  spendKopecks: number | null,
  leads: number,
  costPerLeadKopecks: number | null,
  conversions = 0,
  costPerConversionKopecks: number | null = null,
) => ({
  month: '2026-11',
  source,
  medium,
  campaign,
  kind: spendKopecks === null ? null : 'advertising',
  spendKopecks,
  leads,
  leadCostsKopecks: 0,
  costPerLeadKopecks,
  conversions,
  costPerConversionKopecks,
});

describe('advertising spend and cost per lead: recorded and reported', () => {
  const world = () => {
    const bank = new InMemoryBank();
    const clock = testClock('2026-11-23T10:00:00.000Z');
    const capture = captureDepsOf(bank, clock);
    const deps = { spends: new InMemoryAdSpends(bank), events: new RecordedCostEvents(), now: clock.now };
    const submit = async (body: Record<string, unknown>, idempotencyKey?: string) => {
      const answer = await captureLead(capture, {
        channel: 'web',
        body,
        clientAddress: '192.0.2.1',
        ...(idempotencyKey ? { idempotencyKey } : {}),
      });
      if (answer.kind !== 'accepted') throw new Error(`not accepted: ${JSON.stringify(answer)}`);
      return answer;
    };
    return { bank, deps, submit };
  };

  it('counts each new lead once by its first touch: not an enquiry, not a replay, not a lead without a source', async () => {
    const { deps, submit } = world();
    const yandex = { utm: { source: 'yandex', medium: 'cpc' } };
    const first = demoEnquiry({ source: yandex });
    await submit(first, 'key-1');
    expect((await submit(first, 'key-1')).outcome).toBe('replayed');
    expect((await submit({ ...first, source: { utm: { source: 'vk' } } })).outcome).toBe('enquiry');
    await submit(demoEnquiry({ source: yandex }));
    await submit(demoEnquiry({ source: {} }));
    expect(await deps.spends.leadCountsOf('2026-11')).toEqual([
      {
        month: '2026-11',
        source: 'yandex',
        medium: 'cpc',
        campaign: '',
        leads: 2,
        conversions: 0,
        leadCostsKopecks: 0,
      },
    ]);
  });

  it('records a spend once under its natural key, replaces the amount on a correction, and reports cost per lead', async () => {
    const { deps, submit } = world();
    for (let i = 0; i < 4; i++) await submit(demoEnquiry({ source: { utm: { source: 'yandex' } } }));
    const body = { month: '2026-11', source: 'Yandex', amountKopecks: 10_000_00 };
    expect(await recordSpend(deps, 'anna', body)).toMatchObject({ kind: 'recorded', action: 'created' });
    expect(await recordSpend(deps, 'anna', body)).toMatchObject({ kind: 'recorded', action: 'unchanged' });
    expect(await recordSpend(deps, 'boris', { ...body, amountKopecks: 12_000_00 })).toMatchObject({
      action: 'updated',
      spend: { recordedBy: 'boris', amountKopecks: 12_000_00 },
    });
    expect(await recordSpend(deps, 'anna', { ...body, month: '2026-1' })).toEqual({
      kind: 'invalid',
      issues: [{ path: 'month', message: 'A month as YYYY-MM, e.g. 2026-11' }],
    });
    const report = await costPerLead(deps, { from: '2026-10', to: '2026-11', source: 'yandex' });
    expect(report).toEqual([row('yandex', null, null, 12_000_00, 4, 3_000_00)]);
    expect(await costPerLead(deps, { from: '2026-10', to: '2026-10' })).toEqual([]);
  });
});
