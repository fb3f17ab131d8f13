import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEnquiry, publishDemoConsentTexts } from '#local/demo-data.ts';
import { ConsentStore } from '#shared/adapters/consent-store.ts';
import { Directory } from '#shared/adapters/directory.ts';
import { LeadStore } from '#shared/adapters/lead-store.ts';
import { NotificationStore } from '#shared/adapters/notification-store.ts';
import { DynamoRateLimiter } from '#shared/adapters/rate-limiter.ts';
import { ReferralStore } from '#shared/adapters/referral-store.ts';
import { type CaptureDeps, captureLead } from '#shared/leads/capture-lead.ts';
import { MAX_ENQUIRIES_PER_LEAD } from '#shared/leads/enquiry.ts';
import { completeInn10 } from '#shared/leads/inn.ts';
import {
  deactivateReferralCode,
  issueReferralCode,
  type ProgrammeDeps,
  referralsOfCode,
  reviewReferral,
} from '#shared/referrals/programme.ts';
import { type ConversionDeps, recordReferralConversion } from '#shared/referrals/record-conversion.ts';
import { referralRules } from '#shared/referrals/rules.ts';
import { openStatusPage } from '#shared/referrals/status-page.ts';
import { InMemoryMail } from '../unit/support/in-memory.ts';
import { startAttractTable } from './support/attract-table.ts';
import { campaignKeys } from './support/campaign-world.ts';

const DAY_MS = 86_400_000;
let table: Awaited<ReturnType<typeof startAttractTable>>;
let captureDeps: CaptureDeps;
let programme: ProgrammeDeps;
let book: ReferralStore;
let now = Date.parse('2026-12-01T09:00:00.000Z');
const clock = () => new Date(now);

beforeAll(async () => {
  table = await startAttractTable();
  const consents = new ConsentStore(table.documentClient, table.tableName);
  await publishDemoConsentTexts(consents);
  const directory = new Directory(table.documentClient, table.tableName);
  book = new ReferralStore(table.documentClient, table.tableName);
  captureDeps = {
    leads: new LeadStore(table.documentClient, table.tableName),
    referrers: directory,
    consentTexts: consents,
    keys: campaignKeys,
    rateLimiter: new DynamoRateLimiter(table.documentClient, table.tableName, 1000),
    duplicateWindowDays: 30,
    now: clock,
    newId: randomUUID,
    enquiryLimit: MAX_ENQUIRIES_PER_LEAD,
    referralRules: { ...referralRules, farming: { maxLeadsPerCodePerDay: 2 } },
  };
  programme = {
    book,
    clients: directory,
    keys: campaignKeys,
    now: clock,
    landingPage: 'https://bank.example/refer',
    apiUrl: 'https://api.bank.example',
  };
});
afterAll(async () => {
  await table?.stop();
});

async function aClient() {
  const inn = completeInn10(`62${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`);
  const client = {
    clientId: `client-${randomUUID().slice(0, 8)}`,
    inn,
    name: 'Sever Trade',
    managerId: 'pm-ivanova',
  };
  await new Directory(table.documentClient, table.tableName).putClient(client);
  return client;
}

const submit = async (body: Record<string, unknown>) => {
  const answer = await captureLead(captureDeps, { channel: 'web', body, clientAddress: '198.51.100.7' });
  if (answer.kind !== 'accepted') throw new Error(`not accepted: ${JSON.stringify(answer)}`);
  return answer.leadId;
};

describe('the referral programme, on DynamoDB Local', () => {
  it('issues one code per client, whatever the retries and races; a code of no client is a 404', async () => {
    const client = await aClient();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => issueReferralCode(programme, 'anna', { clientInn: client.inn })),
    );
    const codes = new Set(answers.map((a) => ('code' in a ? a.code.code : a.kind)));
    expect(codes.size).toBe(1);
    expect(answers.filter((a) => a.kind === 'issued')).toHaveLength(1);
    const [code] = [...codes];
    expect(answers[0]).toMatchObject({
      code: {
        clientId: client.clientId,
        clientName: 'Sever Trade',
        active: true,
        link: `https://bank.example/refer?ref=${code}`,
      },
    });
    expect(await issueReferralCode(programme, 'anna', { clientInn: completeInn10('620000001') })).toEqual({
      kind: 'not_a_client',
    });
  });

  it('keeps a referral with its lead, flags farming past the daily bound, and lets a reviewer clear it once', async () => {
    const client = await aClient();
    const issued = await issueReferralCode(programme, 'anna', { clientInn: client.inn });
    if (!('code' in issued)) throw new Error('not issued');
    const { code } = issued.code;
    const leads = [];
    for (let i = 0; i < 3; i++) leads.push(await submit(demoEnquiry({ source: { referralCode: code } })));
    const listed = await referralsOfCode(programme, code);
    expect(listed?.referrals.map((r) => [r.leadId, r.status, r.flags])).toEqual(
      expect.arrayContaining([
        [leads[0], 'referred', []],
        [leads[1], 'referred', []],
        [leads[2], 'flagged', ['code_farming']],
      ]),
    );
    const cleared = await reviewReferral(programme, 'oleg', code, leads[2] ?? '', { decision: 'cleared' });
    expect(cleared).toMatchObject({
      kind: 'reviewed',
      referral: { status: 'referred', review: { by: 'oleg' } },
    });
    expect(await reviewReferral(programme, 'oleg', code, leads[2] ?? '', { decision: 'confirmed' })).toEqual({
      kind: 'already_reviewed',
    });
    expect(await reviewReferral(programme, 'oleg', code, leads[0] ?? '', { decision: 'cleared' })).toEqual({
      kind: 'not_flagged',
    });
  });

  it('ignores a code a converted company comes with again, even after the window; a deactivated code is inactive', async () => {
    const client = await aClient();
    const issued = await issueReferralCode(programme, 'anna', { clientInn: client.inn });
    if (!('code' in issued)) throw new Error('not issued');
    const { code } = issued.code;
    const body = demoEnquiry({ source: { referralCode: code } });
    const leadId = await submit(body);
    const referral = await book.referral(client.clientId, leadId);
    if (!referral) throw new Error('no referral');
    const innHash = campaignKeys.hash('inn', body.company.inn);
    expect(await book.recordConversion(referral, innHash, clock().toISOString())).toBe('converted');
    expect(await book.recordConversion(referral, innHash, clock().toISOString())).toBe('already');

    now += (referralRules.firstCodeWindowDays + 1) * DAY_MS;
    const again = await submit({
      ...body,
      contact: { ...body.contact, email: `x.${randomUUID()}@r.example` },
    });
    const lead = await captureDeps.leads.get(again);
    expect(lead?.attribution.ignored).toEqual([{ claim: 'referral_code', reason: 'already_referred' }]);

    await deactivateReferralCode(programme, 'anna', code);
    const later = await captureDeps.leads.get(await submit(demoEnquiry({ source: { referralCode: code } })));
    expect(later?.attribution.ignored).toEqual([{ claim: 'referral_code', reason: 'inactive_referrer' }]);

    const token = new URL(issued.code.statusLink).pathname.split('/').at(-1) ?? '';
    const page = await openStatusPage(programme, token, 'ru');
    expect(page).toEqual({
      kind: 'page',
      locale: 'ru',
      clientName: 'Sever Trade',
      // The company did not agree to its referrer being told: its conversion is not shown.
      rows: [{ companyName: body.company.name, status: 'referred' }],
    });
  });

  it('tells the referrer of a conversion once, only with both consents and no flag holding the referral', async () => {
    const client = await aClient();
    const issued = await issueReferralCode(programme, 'anna', {
      clientInn: client.inn,
      notices: { email: 'cfo@sever.example', language: 'en', consentedAt: '2026-11-30T09:00:00Z' },
    });
    if (!('code' in issued)) throw new Error('not issued');
    const { code } = issued.code;
    const mail = new InMemoryMail();
    const deps: ConversionDeps = {
      leads: captureDeps.leads,
      book,
      notifications: new NotificationStore(table.documentClient, table.tableName),
      mail,
      keys: campaignKeys,
      now: clock,
      apiUrl: 'https://api.bank.example',
    };
    const converted = (leadId: string) =>
      recordReferralConversion(deps, { leadId, occurredAt: clock().toISOString() });
    const agreed = [
      { purpose: 'personal_data_processing', granted: true, textVersion: 'pd-2026-01' },
      { purpose: 'referrer_notice', granted: true, textVersion: 'rn-2026-01' },
    ];

    const silent = await submit(demoEnquiry({ source: { referralCode: code } }));
    expect(await converted(silent)).toEqual({ kind: 'not_told', why: 'not_agreed' });
    const sameDomain = demoEnquiry({ source: { referralCode: code }, consents: agreed });
    const flagged = await submit({
      ...sameDomain,
      contact: { ...sameDomain.contact, email: 'x@sever.example' },
    });
    expect(await converted(flagged)).toEqual({ kind: 'not_told', why: 'held_for_review' });
    expect(mail.sent).toHaveLength(0);

    // The next day: the code's daily bound (2 here) would flag a third referral of the day as farming.
    now += DAY_MS;
    const body = demoEnquiry({ source: { referralCode: code }, consents: agreed });
    const told = await submit(body);
    expect(await converted(told)).toMatchObject({ kind: 'sent' });
    expect(await converted(told)).toMatchObject({ kind: 'already_sent' });
    expect(mail.sent.map((m) => [m.to, m.subject])).toEqual([
      ['cfo@sever.example', "A company you recommended became the bank's client"],
    ]);
    expect(mail.sent[0]?.text).toContain(body.company.name);
    expect(mail.sent[0]?.text).not.toContain(body.contact.email);
    expect((await book.referral(client.clientId, told))?.convertedAt).toBeDefined();
  });
});
