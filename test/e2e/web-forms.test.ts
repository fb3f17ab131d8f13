import { describe, expect, it } from 'vitest';
import { moscowMonthOf } from '#shared/ad-spend/ad-spend.ts';
import { call, clientAddress, headToken, tokens } from './client.ts';
import { enquiryFrom } from './regions.ts';

/** This file's leads come from region 70, which no demo manager and no other test covers. */
const REGION = '70';

describe("the bank site's forms, end to end", () => {
  it('serves the embeddable form script as JavaScript, cached for minutes', async () => {
    const served = await call('GET', '/v1/embed.js');
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(served.headers['cache-control']).toBe('public, max-age=300');
    expect(String(served.body)).toContain('form[data-attract-form]');
  });
});

describe('advertising spend and cost per lead, end to end', () => {
  it("counts a source's new leads, takes the campaign manager's spend once, and reports cost per lead", async () => {
    const campaignManager = tokens()['anna.campaigns'] ?? '';
    const source = `e2e-${Date.now()}`;
    const month = moscowMonthOf(new Date().toISOString());
    const fromSource = () => ({ ...enquiryFrom(REGION), source: { utm: { source, medium: 'cpc' } } });

    const firsts = [fromSource(), fromSource()];
    for (const body of firsts) {
      expect((await call('POST', '/v1/leads', { body, from: clientAddress() })).status).toBe(202);
    }
    // The first company comes back: an enquiry on its lead, not a new lead to count.
    const again = { ...fromSource(), company: firsts[0]?.company };
    expect((await call('POST', '/v1/leads', { body: again, from: clientAddress() })).status).toBe(202);

    const spend = { month, source, amountKopecks: 3_000_00 };
    const recorded = await call('PUT', '/v1/ad-spend', { token: campaignManager, body: spend });
    expect(recorded.status).toBe(200);
    expect(recorded.body).toMatchObject({
      action: 'created',
      spend: { ...spend, medium: null, campaign: null },
    });
    const retried = await call('PUT', '/v1/ad-spend', { token: campaignManager, body: spend });
    expect(retried.body.action).toBe('unchanged');

    const report = await call('GET', `/v1/cost-per-lead?from=${month}&to=${month}&source=${source}`, {
      token: headToken(),
    });
    expect(report.status).toBe(200);
    expect(report.body).toEqual({
      from: month,
      to: month,
      rows: [
        {
          month,
          source,
          medium: null,
          campaign: null,
          kind: 'advertising',
          spendKopecks: 3_000_00,
          leads: 2,
          leadCostsKopecks: 0,
          costPerLeadKopecks: 1_500_00,
          conversions: 0,
          costPerConversionKopecks: null,
        },
      ],
    });
  });

  it('lets campaign managers write, them and the head of unit read, and names the fields at fault', async () => {
    const campaignManager = tokens()['anna.campaigns'] ?? '';
    const manager = tokens()['pm-ivanova'] ?? '';
    const spend = { month: '2026-11', source: 'yandex', amountKopecks: 100 };
    expect((await call('PUT', '/v1/ad-spend', { token: headToken(), body: spend })).status).toBe(403);
    expect((await call('GET', '/v1/cost-per-lead?from=2026-11&to=2026-11', { token: manager })).status).toBe(
      403,
    );
    const invalid = await call('PUT', '/v1/ad-spend', {
      token: campaignManager,
      body: { month: '2026-13', source: 'yandex', amountKopecks: 1.5 },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.issues.map((i: { path: string }) => i.path)).toEqual([
      'month',
      'amountKopecks',
    ]);
    const badQuery = await call('GET', '/v1/cost-per-lead?from=2026-11&to=2027-12', {
      token: campaignManager,
    });
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['query.to']);
  });
});
