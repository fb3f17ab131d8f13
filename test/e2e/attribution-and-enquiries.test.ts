import { createHash } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DEMO_CLIENTS } from '#local/demo-data.ts';
import {
  call,
  clientAddress,
  directory,
  dynamo,
  enquiry,
  eventually,
  headToken,
  leadAtRest,
  mailbox,
  tableName,
  tokens,
} from './client.ts';

/** Submits through the public form and reads the lead back once its intake is at rest. */
async function submitAndRead(body: Record<string, unknown>) {
  const accepted = await call('POST', '/v1/leads', { body, from: clientAddress() });
  expect(accepted.status).toBe(202);
  const leadId = String(accepted.body.leadId);
  return leadAtRest(leadId);
}

const channelPoints = (lead: { score: { breakdown: { factor: string; points: number }[] } }) =>
  lead.score.breakdown.find((f) => f.factor === 'channel')?.points;

describe("attribution is the bank's, end to end", () => {
  it('answers a form that names its own channel with 400 at source.channel, storing nothing', async () => {
    const reply = await call('POST', '/v1/leads', {
      body: enquiry({ source: { channel: 'referral', campaignId: 'cmp-vip' } }),
      from: clientAddress(),
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error.issues.map((i: { path: string }) => i.path)).toEqual([
      'source.channel',
      'source.campaignId',
    ]);
  });

  it('credits a referral code of an active client, and ignores a made-up one with its reason', async () => {
    const referrer = DEMO_CLIENTS[0];
    if (!referrer) throw new Error('no demo client');
    const code = `E2E-${Date.now()}`;
    await (await directory()).putReferralCode({
      code,
      clientId: referrer.clientId,
      inn: referrer.inn,
      managerId: referrer.managerId,
      active: true,
    });

    const referred = await submitAndRead(enquiry({ source: { referralCode: code } }));
    expect(referred.attribution).toMatchObject({
      channel: 'referral',
      referral: { code, clientId: referrer.clientId, managerId: referrer.managerId },
    });
    const stranger = await submitAndRead(enquiry({ source: { referralCode: 'MADE-UP-CODE' } }));
    expect(stranger.attribution).toEqual({
      channel: 'web',
      ignored: [{ claim: 'referral_code', reason: 'unknown_code' }],
    });
    expect(channelPoints(referred)).toBe(20);
    expect(channelPoints(stranger)).toBe(8);
  });

  it("keeps no email, INN or client address in the table's keys, not even as a plain SHA-256", async () => {
    const submission = enquiry();
    const from = clientAddress();
    const accepted = await call('POST', '/v1/leads', { body: submission, from });
    expect(accepted.status).toBe(202);
    const { Items = [] } = await dynamo().send(
      new ScanCommand({
        TableName: await tableName(),
        FilterExpression: 'begins_with(pk, :dup) OR begins_with(pk, :rate)',
        ExpressionAttributeValues: { ':dup': 'DUPLICATE#', ':rate': 'RATE#' },
      }),
    );
    const keys = Items.map((i) => String(i.pk)).join('\n');
    expect(keys).toContain('DUPLICATE#EMAIL#');
    const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
    for (const personal of [submission.contact.email, submission.company.inn, from]) {
      expect(keys).not.toContain(personal);
      expect(keys).not.toContain(sha256(personal));
    }
  });
});

describe('no enquiry is discarded, end to end', () => {
  it("keeps a later enquiry from another person at the company and tells the lead's manager", async () => {
    const first = enquiry({
      source: {
        utm: { source: 'yandex', medium: 'cpc' },
        referrer: 'https://yandex.ru/search/?text=romashka%40mail.example',
        landingPage: 'https://bank.example/sme/credit?utm_source=yandex',
      },
    });
    const lead = await submitAndRead(first);
    expect(lead.assignedManager?.managerId).toBeDefined();
    const firstTouch = {
      at: lead.receivedAt,
      channel: 'web',
      utm: { source: 'yandex', medium: 'cpc' },
      referrer: 'https://yandex.ru/search/',
      landingPage: 'https://bank.example/sme/credit',
    };
    expect(lead.firstTouch).toEqual(firstTouch);
    expect(lead.lastTouch).toEqual(firstTouch);

    const later = enquiry({
      company: first.company,
      contact: { name: 'Ivan Orlov', email: `i.orlov.${Date.now()}@romashka.example`, position: 'CFO' },
      message: 'Second request: FX control for our import contracts.',
      source: { utm: { source: 'vk' }, landingPage: 'https://bank.example/sme/fx#form' },
    });
    const idempotencyKey = `e2e-touch-${Date.now()}`;
    const again = await call('POST', '/v1/leads', {
      body: later,
      from: clientAddress(),
      headers: { 'idempotency-key': idempotencyKey },
    });
    expect(again.status).toBe(202);
    expect(again.body.leadId).toBe(lead.leadId);
    const touched = await call('GET', `/v1/leads/${lead.leadId}`, { token: headToken() });
    expect(touched.body.firstTouch).toEqual(firstTouch);
    expect(touched.body.lastTouch).toMatchObject({
      channel: 'web',
      utm: { source: 'vk' },
      landingPage: 'https://bank.example/sme/fx',
      enquiryId: expect.any(String),
    });
    // The retried request replays: no second enquiry, and the last touch does not move.
    const replay = await call('POST', '/v1/leads', {
      body: later,
      from: clientAddress(),
      headers: { 'idempotency-key': idempotencyKey },
    });
    expect(replay.status).toBe(202);
    const replayed = await call('GET', `/v1/leads/${lead.leadId}`, { token: headToken() });
    expect(replayed.body.lastTouch).toEqual(touched.body.lastTouch);

    // The lead's own manager reads every contact who wrote, each in full.
    const managerToken = tokens()[lead.assignedManager.managerId] ?? '';
    const page = await call('GET', `/v1/leads/${lead.leadId}/enquiries?limit=10`, { token: managerToken });
    expect(page.status).toBe(200);
    expect(page.body.enquiries).toHaveLength(1);
    expect(page.body.enquiries[0]).toMatchObject({
      contact: later.contact,
      message: later.message,
      matchedBy: ['inn'],
      signals: expect.arrayContaining(['new_contact', 'new_message']),
    });

    const email = await eventually(
      async () => (await mailbox()).find((m) => m.text.includes(later.contact.email)),
      'the later-enquiry email to the manager',
    );
    expect(email.text).toContain(lead.leadId);
    const read = await eventually(async () => {
      const r = await call('GET', `/v1/leads/${lead.leadId}`, { token: headToken() });
      return r.body.timeline.some((e: { kind: string }) => e.kind === 'enquiry_notified')
        ? r.body
        : undefined;
    }, 'the enquiry notice on the timeline');
    expect(read.touchCount).toBe(1);
    const timeline = await call('GET', `/v1/leads/${lead.leadId}/timeline?limit=2`, { token: headToken() });
    expect(timeline.body.entries.map((e: { kind: string }) => e.kind)).toEqual(['received', 'assessed']);
    const rest = await call('GET', `/v1/leads/${lead.leadId}/timeline?after=${timeline.body.next}`, {
      token: headToken(),
    });
    expect(rest.body.entries.map((e: { kind: string }) => e.kind)).toEqual(
      expect.arrayContaining(['touch', 'enquiry_notified']),
    );
    const forged = await call('GET', `/v1/leads/${lead.leadId}/enquiries?after=bm90LWEtY3Vyc29y`, {
      token: headToken(),
    });
    expect(forged.status).toBe(400);
  });
});

describe('invitation links a campaign manager issues', () => {
  it('credits a lead that comes with the link to its channel and campaign; an altered link is ignored', async () => {
    const campaignManager = tokens()['anna.campaigns'] ?? '';
    const issued = await call('POST', '/v1/invitations', {
      token: campaignManager,
      body: { channel: 'letter', campaignId: 'cmp-autumn-offer', prospectId: 'prospect-7', validDays: 30 },
    });
    expect(issued.status).toBe(201);
    const { invitation } = issued.body;

    const invited = await submitAndRead(enquiry({ source: { invitation } }));
    expect(invited.attribution).toMatchObject({
      channel: 'letter',
      campaignId: 'cmp-autumn-offer',
      prospectId: 'prospect-7',
    });
    const [header, payload, signature] = String(invitation).split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
    const raised = Buffer.from(JSON.stringify({ ...claims, campaignId: 'cmp-vip' })).toString('base64url');
    const altered = await submitAndRead(
      enquiry({ source: { invitation: `${header}.${raised}.${signature}` } }),
    );
    expect(altered.attribution).toEqual({
      channel: 'web',
      ignored: [{ claim: 'invitation', reason: 'bad_signature' }],
    });
  });

  it('issues links to campaign managers only, and names a bad field', async () => {
    const manager = tokens()['pm-ivanova'] ?? '';
    const refused = await call('POST', '/v1/invitations', {
      token: manager,
      body: { channel: 'letter', campaignId: 'cmp-1' },
    });
    expect(refused.status).toBe(403);
    const invalid = await call('POST', '/v1/invitations', {
      token: tokens()['anna.campaigns'] ?? '',
      body: { channel: 'referral', campaignId: 'cmp-1' },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['channel']);
  });
});
