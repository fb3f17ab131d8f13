import { describe, expect, it } from 'vitest';
import { demoEnquiry } from '#local/demo-data.ts';
import { captureOfflineLead } from '#shared/leads/capture-offline-lead.ts';
import { enrichLead } from '#shared/leads/intake.ts';
import { offlineChannelOf, offlineChannels, parseOfflineChannels } from '#shared/leads/offline-channels.ts';
import { captureDepsOf } from './support/capture.ts';
import { InMemoryBank, RecordedEvents, testClock } from './support/in-memory.ts';

/** A lead met at an exhibition, as an acquisition manager records it. */
function metOffline(overrides: Record<string, unknown> = {}) {
  const { source: _web, ...enquiry } = demoEnquiry();
  return {
    ...enquiry,
    consentRecord: { form: 'signed_paper', documentRef: 'СГЛ-2026-0042' },
    offline: { channel: 'exhibition', sourceName: 'Иннопром-2026', costKopecks: 1_500_00 },
    ...overrides,
  };
}

function offline() {
  const bank = new InMemoryBank();
  const clock = testClock();
  // A limit of one a minute: the bank's own submissions are never asked.
  const deps = captureDepsOf(bank, clock, 1);
  const record = (body: unknown, idempotencyKey?: string) =>
    captureOfflineLead(deps, { by: 'anna-sub', body, ...(idempotencyKey ? { idempotencyKey } : {}) });
  return { bank, record };
}

describe('the offline channels configuration', () => {
  it("holds the seed's direct channels, each mapped to an attribution channel", () => {
    const ids = offlineChannels.channels.map((c) => c.id);
    expect(ids).toEqual(
      expect.arrayContaining(['conference', 'exhibition', 'presentation', 'personal_contact']),
    );
    expect(new Set(offlineChannels.channels.map((c) => c.category))).toEqual(
      new Set(['events', 'personal_contacts', 'staff_relatives', 'company_information', 'associations']),
    );
    expect(offlineChannelOf('business_association')?.attributionChannel).toBe('association');
    expect(offlineChannelOf('web')).toBeUndefined();
  });

  it('refuses a duplicate id and a channel mapped outside the offline ones, naming the paths', () => {
    const channel = offlineChannels.channels[0];
    expect(() => parseOfflineChannels({ version: 'v2', channels: [channel, channel] })).toThrow(
      'channels.1.id: Duplicate channel id conference',
    );
    expect(() =>
      parseOfflineChannels({ version: 'v2', channels: [{ ...channel, attributionChannel: 'web' }] }),
    ).toThrow(/channels\.0\.attributionChannel: Invalid option/);
  });
});

describe('captureOfflineLead', () => {
  it("stores the lead under the configured channel's attribution, with the event, its cost and who met it", async () => {
    const { bank, record } = offline();
    const answer = await record(metOffline());
    expect(answer).toMatchObject({ kind: 'accepted', outcome: 'created' });
    if (answer.kind !== 'accepted') throw new Error('not accepted');
    const lead = await bank.leads.get(answer.leadId);
    expect(lead?.attribution).toEqual({ channel: 'event' });
    expect(lead?.offline).toEqual({
      channel: 'exhibition',
      configVersion: offlineChannels.version,
      sourceName: 'Иннопром-2026',
      costKopecks: 1_500_00,
      consentRecord: { form: 'signed_paper', documentRef: 'СГЛ-2026-0042' },
      recordedBy: 'anna-sub',
    });
    expect(bank.pending.has(answer.leadId)).toBe(true);
    // Counted beside the web's sources: its channel, medium `offline`, the event as the campaign.
    expect([...bank.leadCounts.values()]).toEqual([
      expect.objectContaining({
        source: 'exhibition',
        medium: 'offline',
        campaign: 'иннопром-2026',
        leads: 1,
      }),
    ]);
  });

  it('keeps a company the bank already has as an enquiry on its lead, with its own offline origin', async () => {
    const { bank, record } = offline();
    const repeat = metOffline({ offline: { channel: 'conference', sourceName: 'ЦИПР' } });
    const firstBody = metOffline();
    const a = await record(firstBody);
    const b = await record({ ...repeat, company: firstBody.company });
    expect(b).toMatchObject({ kind: 'accepted', outcome: 'enquiry' });
    if (a.kind !== 'accepted' || b.kind !== 'accepted') throw new Error('not accepted');
    expect(b.leadId).toBe(a.leadId);
    const enquiries = bank.enquiryItems.get(a.leadId) ?? [];
    expect(enquiries[0]?.offline).toMatchObject({ channel: 'conference', sourceName: 'ЦИПР' });
  });

  it('names the fields at fault: an unconfigured channel, a free-text one, a missing consent record', async () => {
    const { bank, record } = offline();
    const answer = await record(
      metOffline({
        offline: { channel: 'golf', sourceName: '', costKopecks: -1, attributionChannel: 'web' },
        consentRecord: undefined,
      }),
    );
    expect(answer.kind).toBe('invalid');
    if (answer.kind !== 'invalid') throw new Error('not invalid');
    expect(answer.issues.map((i) => i.path).sort()).toEqual([
      'consentRecord',
      'offline.attributionChannel',
      'offline.channel',
      'offline.costKopecks',
      'offline.sourceName',
    ]);
    expect(bank.leadItems.size).toBe(0);
  });

  it('replays an Idempotency-Key, and refuses it for the same person met at another event', async () => {
    const { record } = offline();
    const body = metOffline();
    const first = await record(body, 'offline-1');
    expect(await record(body, 'offline-1')).toMatchObject({ kind: 'accepted', outcome: 'replayed' });
    if (first.kind !== 'accepted') throw new Error('not accepted');
    const elsewhere = { ...body, offline: { ...body.offline, sourceName: 'ЦИПР' } };
    expect(await record(elsewhere, 'offline-1')).toEqual({ kind: 'idempotency_conflict' });
  });

  it('is announced beside its LeadCaptured: the channel and its cost, not the event name or who met it', async () => {
    const { bank, record } = offline();
    const answer = await record(metOffline());
    if (answer.kind !== 'accepted') throw new Error('not accepted');
    const lead = await bank.leads.get(answer.leadId);
    if (!lead) throw new Error('not stored');
    const events = new RecordedEvents();
    const deps = {
      leads: bank.leads,
      managers: bank.managers,
      clients: bank.clients,
      events,
      now: testClock().now,
    };
    await enrichLead(deps, lead);
    expect(events.of('LeadAddedOffline')).toEqual([
      {
        eventId: `${lead.leadId}:LeadAddedOffline`,
        version: 1,
        leadId: lead.leadId,
        occurredAt: lead.receivedAt,
        offlineChannel: 'exhibition',
        configVersion: offlineChannels.version,
        channel: 'event',
        regionCode: '77',
        costKopecks: 1_500_00,
      },
    ]);
    expect(events.of('LeadCaptured')).toEqual([expect.objectContaining({ channel: 'event' })]);
  });
});
