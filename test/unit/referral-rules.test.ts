import { describe, expect, it } from 'vitest';
import { demoEnquiry } from '#local/demo-data.ts';
import { captureLead } from '#shared/leads/capture-lead.ts';
import { completeInn10 } from '#shared/leads/inn.ts';
import { newReferralCode, type Referral, referralLink, referralStatus } from '#shared/referrals/referral.ts';
import { parseReferralRules, type ReferralRules, referralRules } from '#shared/referrals/rules.ts';
import { captureDepsOf } from './support/capture.ts';
import { InMemoryBank, testClock } from './support/in-memory.ts';

const REFERRER_INN = completeInn10('770100001');
const GROUP_INN = completeInn10('770100002');
const DAY_MS = 86_400_000;

async function programme(rules: Partial<ReferralRules> = {}) {
  const bank = new InMemoryBank();
  await bank.putReferralCode({
    code: 'K7M2Q-9XW4D',
    clientId: 'client-sever',
    inn: REFERRER_INN,
    managerId: 'pm-ivanova',
    active: true,
    groupInns: [GROUP_INN],
    emailDomain: 'sever.example',
  });
  const clock = testClock();
  const deps = { ...captureDepsOf(bank, clock), referralRules: { ...referralRules, ...rules } };
  const submit = async (overrides: Record<string, unknown> = {}, code = 'K7M2Q-9XW4D') => {
    const body = demoEnquiry({ source: { referralCode: code }, ...overrides });
    const answer = await captureLead(deps, { channel: 'web', body, clientAddress: '192.0.2.1' });
    if (answer.kind !== 'accepted') throw new Error(`not accepted: ${JSON.stringify(answer)}`);
    const lead = await bank.leads.get(answer.leadId);
    if (!lead) throw new Error('not stored');
    return { lead, body, referral: bank.referrals.get(`client-sever#${lead.leadId}`) };
  };
  return { bank, clock, submit };
}

describe('the referral programme: attribution rules as data', () => {
  it('keeps a referral with the lead: the company name, the rules version, no flags, referred', async () => {
    const { bank, submit } = await programme();
    const { lead, body, referral } = await submit();
    expect(lead.attribution.referral).toEqual({
      code: 'K7M2Q-9XW4D',
      clientId: 'client-sever',
      managerId: 'pm-ivanova',
    });
    expect(referral).toEqual({
      leadId: lead.leadId,
      clientId: 'client-sever',
      code: 'K7M2Q-9XW4D',
      companyName: body.company.name,
      referredAt: lead.receivedAt,
      rulesVersion: referralRules.version,
      flags: [],
      disclosureAgreed: false,
    });
    expect(referralStatus(referral as Referral)).toBe('referred');
    expect(bank.referralDays.get('K7M2Q-9XW4D#2026-11-23')).toBe(1);
  });

  it('records that the referred company agreed to its referrer being told (consent referrer_notice)', async () => {
    const { submit } = await programme();
    const { referral } = await submit({
      consents: [
        { purpose: 'personal_data_processing', granted: true, textVersion: 'pd-2026-01' },
        { purpose: 'referrer_notice', granted: true, textVersion: 'rn-2026-01' },
      ],
    });
    expect(referral?.disclosureAgreed).toBe(true);
  });

  it("flags a company of the referrer's own group for review: it routes, it is not rewarded", async () => {
    const { submit } = await programme();
    const enquiry = demoEnquiry();
    const { lead, referral } = await submit({ company: { ...enquiry.company, inn: GROUP_INN } });
    expect(lead.attribution.channel).toBe('referral');
    expect(lead.attribution.referral?.flags).toEqual(['same_group']);
    expect(referralStatus(referral as Referral)).toBe('flagged');
  });

  it("flags a prospect writing from the referrer's email domain", async () => {
    const { submit } = await programme();
    const { referral } = await submit({
      contact: { name: 'Ivan Petrov', email: 'ivan@Sever.example', phone: '+74951234567' },
    });
    expect(referral?.flags).toEqual(['same_email_domain']);
  });

  it('flags code farming: past the daily bound every further lead of the code, until the next day', async () => {
    const { clock, submit } = await programme({ farming: { maxLeadsPerCodePerDay: 2 } });
    const flags = [];
    for (let i = 0; i < 3; i++) flags.push((await submit()).referral?.flags);
    expect(flags).toEqual([[], [], ['code_farming']]);
    clock.advance(DAY_MS);
    expect((await submit()).referral?.flags).toEqual([]);
  });

  it('lets the first valid code win within the window; a later code of the company is ignored with its reason', async () => {
    const { bank, clock, submit } = await programme({ firstCodeWindowDays: 180 });
    await bank.putReferralCode({
      code: 'OTHER-CODE1',
      clientId: 'client-other',
      inn: completeInn10('770100003'),
      managerId: 'pm-petrov',
      active: true,
    });
    const first = await submit();
    // Past the duplicate window (30 days) the company is a new lead, but its first code still holds.
    clock.advance(31 * DAY_MS);
    const again = await submit({ company: first.body.company }, 'OTHER-CODE1');
    expect(again.lead.leadId).not.toBe(first.lead.leadId);
    expect(again.lead.attribution).toMatchObject({
      channel: 'web',
      ignored: [{ claim: 'referral_code', reason: 'already_referred' }],
    });
    expect(bank.referrals.get(`client-other#${again.lead.leadId}`)).toBeUndefined();
    // After the window, a code counts again.
    clock.advance(150 * DAY_MS);
    const later = await submit({ company: first.body.company }, 'OTHER-CODE1');
    expect(later.lead.attribution.referral?.clientId).toBe('client-other');
  });

  it('ignores an unknown code with its reason: no referral, no count', async () => {
    const { bank, submit } = await programme();
    const { lead } = await submit({}, 'NOBODY-0000');
    expect(lead.attribution.ignored).toEqual([{ claim: 'referral_code', reason: 'unknown_code' }]);
    expect(bank.referrals.size).toBe(0);
    expect(bank.referralDays.size).toBe(0);
  });

  it('keeps the stored rules valid, and refuses rules with a bad field by its path', () => {
    expect(referralRules.farming.maxLeadsPerCodePerDay).toBeGreaterThan(0);
    expect(() => parseReferralRules({ ...referralRules, farming: { maxLeadsPerCodePerDay: 0 } })).toThrow(
      /farming\.maxLeadsPerCodePerDay/,
    );
  });
});

describe('referral codes and links', () => {
  it('draws short codes from an alphabet without look-alikes, two groups of five', () => {
    const codes = Array.from({ length: 200 }, () => newReferralCode());
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("puts the code in the bank's landing page as ref, keeping the page's own query", () => {
    expect(referralLink('https://bank.example/sme/refer?lang=ru', 'K7M2Q-9XW4D')).toBe(
      'https://bank.example/sme/refer?lang=ru&ref=K7M2Q-9XW4D',
    );
  });

  it('tells a referral status from its flags, review and conversion', () => {
    const base: Referral = {
      leadId: 'l',
      clientId: 'c',
      code: 'K7M2Q-9XW4D',
      companyName: 'Romashka',
      referredAt: '2026-11-23T10:00:00.000Z',
      rulesVersion: 'v',
      flags: ['code_farming'],
      disclosureAgreed: true,
    };
    const review = (decision: 'cleared' | 'confirmed') => ({ decision, by: 'oleg', at: base.referredAt });
    expect(referralStatus(base)).toBe('flagged');
    expect(referralStatus({ ...base, review: review('cleared') })).toBe('referred');
    expect(referralStatus({ ...base, review: review('cleared'), convertedAt: 'x' })).toBe('converted');
    expect(referralStatus({ ...base, review: review('confirmed'), convertedAt: 'x' })).toBe('rejected');
  });
});
