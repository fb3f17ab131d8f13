import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { LEAD_EVENTS } from '#events/lead-events.ts';
import { moscowMonthOf } from '#shared/ad-spend/ad-spend.ts';
import { call, eventually, leadAtRest, mailbox, tokens } from './client.ts';
import { enquiryFrom, unitOf } from './regions.ts';

/** This file's leads come from regions 60 and 61, which no demo manager and no other test covers. */
const REGION = '60';

type BusEvent = { 'detail-type': string; detail: { leadId?: string } };

const campaignManager = () => tokens()['anna.campaigns'] ?? '';
const compliance = () => tokens()['oleg.compliance'] ?? '';

/** A company from the region, met at an exhibition, as an acquisition manager records it. */
function metAt(region: string, sourceName = 'Иннопром-2026') {
  const { source: _web, ...enquiry } = enquiryFrom(region);
  return {
    ...enquiry,
    consentRecord: { form: 'signed_paper', documentRef: `СГЛ-${Date.now()}` },
    offline: { channel: 'exhibition', sourceName, costKopecks: 2_000_00 },
  };
}

describe('leads met offline, end to end', () => {
  it("routes an acquisition manager's lead to the region's PM, attributed by the bank, its consents recorded by them", async () => {
    const [pm] = await unitOf(REGION, 1);
    // An exhibition of this run's own: its counters are this test's alone.
    const sourceName = `Иннопром-${randomUUID().slice(0, 8)}`;
    const body = metAt(REGION, sourceName);
    const submitted = await call('POST', '/v1/offline-leads', { token: campaignManager(), body });
    expect(submitted.status).toBe(202);

    const lead = await leadAtRest(submitted.body.leadId);
    expect(lead.assignedManager.managerId).toBe(pm?.managerId);
    expect(lead.attribution).toEqual({ channel: 'event' });
    expect(lead.offline).toMatchObject({
      channel: 'exhibition',
      sourceName,
      costKopecks: 2_000_00,
      consentRecord: body.consentRecord,
    });
    // The PM's address is theirs alone: the one email to it is this lead's.
    const told = await eventually(
      async () => (await mailbox()).find((m) => m.to.includes(pm?.email ?? '')),
      "the PM's email",
    );
    expect(told.to).toEqual([pm?.email]);

    // The bus announced it met offline: the channel and its cost, never the event's name or the person.
    const added = await eventually(async () => {
      const events = (await (await fetch(`${inject('events')}/events`)).json()) as BusEvent[];
      return events.find((e) => e.detail.leadId === lead.leadId && e['detail-type'] === 'LeadAddedOffline');
    }, 'LeadAddedOffline on the bus');
    expect(LEAD_EVENTS.LeadAddedOffline.parse(added.detail)).toMatchObject({
      offlineChannel: 'exhibition',
      channel: 'event',
      regionCode: REGION,
      costKopecks: 2_000_00,
    });
    expect(JSON.stringify(added.detail)).not.toMatch(/Иннопром|@/);

    // The person signed on paper: no browser's address, the staff member who recorded it instead.
    const history = await call('GET', `/v1/consents?email=${encodeURIComponent(body.contact.email)}`, {
      token: compliance(),
    });
    expect(history.body.entries).toEqual([
      expect.objectContaining({
        action: 'given',
        purpose: 'personal_data_processing',
        channel: 'event',
        by: lead.offline.recordedBy,
        leadId: lead.leadId,
      }),
    ]);
    expect(history.body.entries[0]).not.toHaveProperty('ip');

    // The PM wins the company: the stand's cost is set against the lead and the client it became.
    const leadPath = `/v1/leads/${lead.leadId}`;
    const token = pm?.token ?? '';
    expect((await call('POST', `${leadPath}/decision`, { token, body: { action: 'accept' } })).status).toBe(
      200,
    );
    const won = await call('POST', `${leadPath}/outcome`, {
      token,
      body: { outcome: 'converted', products: ['payroll'] },
    });
    expect(won.status).toBe(200);
    const month = moscowMonthOf(lead.receivedAt);
    const stand = { month, source: 'exhibition', medium: 'offline', campaign: sourceName, kind: 'event' };
    const cost = await call('PUT', '/v1/ad-spend', {
      token: campaignManager(),
      body: { ...stand, amountKopecks: 50_000_00 },
    });
    expect(cost.status).toBe(200);
    const report = await call('GET', `/v1/cost-per-lead?from=${month}&to=${month}&source=exhibition`, {
      token: campaignManager(),
    });
    expect(report.body.rows).toContainEqual({
      ...stand,
      campaign: sourceName.toLowerCase(),
      spendKopecks: 50_000_00,
      leads: 1,
      // The stand, and what meeting this company cost on top.
      leadCostsKopecks: 2_000_00,
      costPerLeadKopecks: 52_000_00,
      conversions: 1,
      costPerConversionKopecks: 52_000_00,
    });
  });

  it('lets campaign managers alone record one, and names the fields at fault', async () => {
    const body = metAt('61');
    expect((await call('POST', '/v1/offline-leads', { body })).status).toBe(401);
    const manager = tokens()['pm-ivanova'] ?? '';
    expect((await call('POST', '/v1/offline-leads', { token: manager, body })).status).toBe(403);
    const invalid = await call('POST', '/v1/offline-leads', {
      token: campaignManager(),
      body: { ...body, offline: { channel: 'golf', sourceName: 'Клуб' } },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['offline.channel']);
  });
});
