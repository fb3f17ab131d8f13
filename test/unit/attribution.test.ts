import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { demoEnquiry } from '#local/demo-data.ts';
import { Keys } from '#shared/access/keys.ts';
import { captureLead } from '#shared/leads/capture-lead.ts';
import { completeInn10 } from '#shared/leads/inn.ts';
import { signInvitation } from '#shared/leads/invitation.ts';
import { scoreLead, scoringInputOf } from '#shared/leads/scoring.ts';
import { scoringConfig } from '#shared/leads/scoring-config.ts';
import { captureDepsOf, TEST_KEYS } from './support/capture.ts';
import { InMemoryBank, testClock } from './support/in-memory.ts';

const REFERRER_INN = completeInn10('770100001');

async function bankWithReferrer(active = true) {
  const bank = new InMemoryBank();
  await bank.putReferralCode({
    code: 'SEVER-2026',
    clientId: 'client-severstal-trade',
    inn: REFERRER_INN,
    managerId: 'pm-ivanova',
    active,
  });
  const clock = testClock();
  const deps = captureDepsOf(bank, clock);
  /** Submits through the public web route and answers the stored lead. */
  const submit = async (body: Record<string, unknown>) => {
    const answer = await captureLead(deps, { channel: 'web', body, clientAddress: '192.0.2.1' });
    if (answer.kind !== 'accepted') throw new Error(`not accepted: ${JSON.stringify(answer)}`);
    const lead = await bank.leads.get(answer.leadId);
    if (!lead) throw new Error('not stored');
    return lead;
  };
  return { bank, clock, submit };
}

const week = (from: Date) => ({ issuedAt: from, expiresAt: new Date(from.getTime() + 7 * 86_400_000) });

describe("attribution is the bank's", () => {
  it('gives a plain web-form enquiry the web channel, its UTM values kept for analytics only', async () => {
    const { submit } = await bankWithReferrer();
    const lead = await submit(demoEnquiry());
    expect(lead.attribution).toEqual({
      channel: 'web',
      utm: { source: 'google', medium: 'cpc', campaign: 'sme-autumn' },
    });
  });

  it('keeps the referrer and the landing page on the lead and on a later enquiry, origin and path only', async () => {
    const { bank, submit } = await bankWithReferrer();
    const first = demoEnquiry({
      source: {
        referrer: 'https://yandex.ru/search/?text=payroll',
        landingPage: 'https://bank.example/sme?x=1',
      },
    });
    const lead = await submit(first);
    expect(lead.attribution).toEqual({
      channel: 'web',
      referrer: 'https://yandex.ru/search/',
      landingPage: 'https://bank.example/sme',
    });
    await submit({
      ...first,
      contact: { name: 'Pavel Orlov', email: 'pavel@romashka.example' },
      source: { referrer: 'https://vk.com/bank#wall', landingPage: 'https://bank.example/credit' },
    });
    const { enquiries } = await bank.leads.enquiries(lead.leadId, { size: 10 });
    expect(enquiries.map((e) => e.attribution)).toEqual([
      { channel: 'web', referrer: 'https://vk.com/bank', landingPage: 'https://bank.example/credit' },
    ]);
    // The prospect came back: the lead's last touch is the enquiry's.
    expect((await bank.leads.read(lead.leadId))?.lastTouch).toEqual({
      at: enquiries[0]?.receivedAt,
      channel: 'web',
      referrer: 'https://vk.com/bank',
      landingPage: 'https://bank.example/credit',
      enquiryId: enquiries[0]?.enquiryId,
    });
  });

  it('refuses a form that names its own channel, so a stranger cannot buy points', async () => {
    const { bank, clock } = await bankWithReferrer();
    const answer = await captureLead(captureDepsOf(bank, clock), {
      channel: 'web',
      body: demoEnquiry({ source: { channel: 'referral' } }),
      clientAddress: '192.0.2.1',
    });
    expect(answer).toEqual({
      kind: 'invalid',
      issues: [{ path: 'source.channel', message: 'Unknown field' }],
    });
    expect(bank.leadItems.size).toBe(0);
  });

  it('attributes a referral code of an active client: channel referral, the referrer and its manager kept', async () => {
    const { submit } = await bankWithReferrer();
    const lead = await submit(demoEnquiry({ source: { referralCode: 'SEVER-2026' } }));
    expect(lead.attribution).toEqual({
      channel: 'referral',
      referral: { code: 'SEVER-2026', clientId: 'client-severstal-trade', managerId: 'pm-ivanova' },
    });
  });

  it.each([
    ['an unknown code', 'NOBODY-1', true, {}, 'unknown_code'],
    ['the code of a client who left the programme', 'SEVER-2026', false, {}, 'inactive_referrer'],
    ["the referrer's own company", 'SEVER-2026', true, { inn: REFERRER_INN }, 'self_referral'],
  ] as const)(
    'ignores %s with its reason, and still accepts the enquiry as a web lead',
    async (_, code, active, company, reason) => {
      const { submit } = await bankWithReferrer(active);
      const enquiry = demoEnquiry({ source: { referralCode: code } });
      const lead = await submit({ ...enquiry, company: { ...enquiry.company, ...company } });
      expect(lead.attribution).toEqual({ channel: 'web', ignored: [{ claim: 'referral_code', reason }] });
    },
  );

  it('believes a letter link the bank signed: its channel, campaign and addressee', async () => {
    const { submit, clock } = await bankWithReferrer();
    const invitation = await signInvitation(
      TEST_KEYS,
      { channel: 'letter', campaignId: 'cmp-autumn-offer', prospectId: 'prospect-42' },
      week(clock.now()),
    );
    const lead = await submit(demoEnquiry({ source: { invitation } }));
    expect(lead.attribution).toMatchObject({
      channel: 'letter',
      campaignId: 'cmp-autumn-offer',
      prospectId: 'prospect-42',
    });
    expect(lead.attribution.ignored).toBeUndefined();
  });

  it('lets a signed invitation name the channel while a valid referral code still records the referrer', async () => {
    const { submit, clock } = await bankWithReferrer();
    const invitation = await signInvitation(
      TEST_KEYS,
      { channel: 'open_day', campaignId: 'od-2026-12' },
      week(clock.now()),
    );
    const lead = await submit(demoEnquiry({ source: { invitation, referralCode: 'SEVER-2026' } }));
    expect(lead.attribution).toMatchObject({
      channel: 'open_day',
      campaignId: 'od-2026-12',
      referral: { clientId: 'client-severstal-trade' },
    });
  });

  it('ignores an invitation signed with another key, altered, expired or not a token at all', async () => {
    const { submit, clock } = await bankWithReferrer();
    const letter = { channel: 'letter', campaignId: 'cmp-autumn-offer' } as const;
    const forged = await signInvitation(
      Keys.derive('somebody-else-s-key-material-0123456789'),
      letter,
      week(clock.now()),
    );
    const genuine = await signInvitation(TEST_KEYS, letter, week(clock.now()));
    const [header, , signature] = genuine.split('.');
    const body = Buffer.from(
      JSON.stringify({
        channel: 'letter',
        campaignId: 'cmp-vip',
        iss: 'attract',
        aud: 'attract:lead-invitation',
        iat: 1,
        exp: 4102444800,
      }),
    ).toString('base64url');
    const altered = `${header}.${body}.${signature}`;
    const expired = await signInvitation(TEST_KEYS, letter, {
      issuedAt: new Date(clock.now().getTime() - 10 * 86_400_000),
      expiresAt: new Date(clock.now().getTime() - 86_400_000),
    });
    const cases = [
      [forged, 'bad_signature'],
      [altered, 'bad_signature'],
      [expired, 'expired'],
      ['not-a-token', 'malformed'],
    ] as const;
    for (const [invitation, reason] of cases) {
      const lead = await submit(demoEnquiry({ source: { invitation } }));
      expect(lead.attribution, reason).toEqual({
        channel: 'web',
        ignored: [{ claim: 'invitation', reason }],
      });
    }
  });

  it('scores a stranger claiming a referral exactly as any web lead: the 12 points are gone', async () => {
    const { submit } = await bankWithReferrer();
    const plain = await submit(demoEnquiry());
    const claiming = await submit(demoEnquiry({ source: { referralCode: 'MADE-UP-CODE' } }));
    const referred = await submit(demoEnquiry({ source: { referralCode: 'SEVER-2026' } }));
    const total = (lead: typeof plain) => scoreLead(scoringInputOf(lead), scoringConfig).total;
    expect(total(claiming)).toBe(total(plain));
    expect(total(referred) - total(plain)).toBe(12);
  });
});

describe('keyed hashes', () => {
  it('keeps no email or INN in the uniqueness keys, not even as a plain SHA-256 anyone could recompute', async () => {
    const { bank, submit } = await bankWithReferrer();
    const enquiry = demoEnquiry();
    await submit(enquiry);
    const stored = [...bank.claims.keys()].join('\n');
    const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
    for (const secret of [enquiry.contact.email, enquiry.company.inn]) {
      expect(stored).not.toContain(secret);
      expect(stored).not.toContain(sha256(secret));
    }
    expect(stored).toContain(TEST_KEYS.hash('email', enquiry.contact.email));
  });

  it('gives other hashes under another secret, and refuses a secret too short to be one', () => {
    const other = Keys.derive('another-attract-key-material-0123456789abcdef');
    expect(other.hash('inn', '7707083893')).not.toBe(TEST_KEYS.hash('inn', '7707083893'));
    expect(TEST_KEYS.hash('inn', '7707083893')).not.toBe(TEST_KEYS.hash('email', '7707083893'));
    expect(() => Keys.derive('short')).toThrow(/at least 32 characters/);
  });
});
