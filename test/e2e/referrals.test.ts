import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { completeInn10 } from '#shared/leads/inn.ts';
import { ru } from '#shared/templates/ru.ts';
import { call, clientAddress, directory, eventually, leadAtRest, mailbox, tokens } from './client.ts';
import { submitThroughEmbeddedForm } from './embed-page.ts';
import { enquiryFrom, unitOf } from './regions.ts';

/** This file owns region 62 (its PMs, its referrer and its prospects). */
const REGION = '62';
const campaigns = () => tokens()['anna.campaigns'] ?? '';
const compliance = () => tokens()['oleg.compliance'] ?? '';

/** An existing client of the region, looked after by the given PM. */
async function aClientOf(managerId: string) {
  const inn = completeInn10(`${REGION}${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`);
  const client = {
    clientId: `client-${randomUUID().slice(0, 8)}`,
    inn,
    name: `Sever <Trade> ${inn}`,
    managerId,
  };
  await (await directory()).putClient(client);
  return client;
}

describe('the referral programme, end to end', () => {
  it("routes a prospect who came by a client's link to the client's PM; the referrer sees the company's name and status", async () => {
    const [, referrersPm] = await unitOf(REGION, 2);
    if (!referrersPm) throw new Error('no unit');
    const client = await aClientOf(referrersPm.managerId);

    const issued = await call('POST', '/v1/referral-codes', {
      token: campaigns(),
      body: {
        clientInn: client.inn,
        notices: { email: 'cfo@sever.example', language: 'ru', consentedAt: '2026-11-30T09:00:00Z' },
      },
    });
    expect(issued.status).toBe(201);
    const { code, link, statusLink } = issued.body;
    expect(code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    // A retry gives the client its code again, never a second one.
    const again = await call('POST', '/v1/referral-codes', {
      token: campaigns(),
      body: { clientInn: client.inn },
    });
    expect([again.status, again.body.code]).toEqual([200, code]);

    // The prospect opens the link: the bank's page, whose form the embeddable script posts with the code.
    const prospect = enquiryFrom(REGION);
    const { posted, shown } = await submitThroughEmbeddedForm(
      link,
      [
        { name: 'company.name', value: prospect.company.name },
        { name: 'company.inn', value: prospect.company.inn },
        { name: 'company.sizeBand', value: 'medium' },
        { name: 'company.industry', value: 'manufacturing' },
        { name: 'contact.name', value: prospect.contact.name },
        { name: 'contact.email', value: prospect.contact.email },
        { name: 'products', value: 'settlement_account', type: 'checkbox' },
      ],
      [
        { purpose: 'personal_data_processing', version: 'pd-2026-01' },
        { purpose: 'referrer_notice', version: 'rn-2026-01' },
      ],
    );
    expect(posted.source.referralCode).toBe(code);
    expect(shown).toBe(ru.embedForm.leadAccepted);

    const listed = await call('GET', `/v1/referral-codes/${code}/referrals`, { token: campaigns() });
    expect(listed.status).toBe(200);
    const [referral] = listed.body.referrals;
    expect(referral).toMatchObject({
      companyName: prospect.company.name,
      status: 'referred',
      flags: [],
      disclosureAgreed: true,
    });

    const lead = await leadAtRest(referral.leadId);
    expect(lead.attribution).toMatchObject({
      channel: 'referral',
      referral: { code, clientId: client.clientId },
    });
    expect(lead.routing.rule).toBe('referrer_manager');
    expect(lead.assignedManager.managerId).toBe(referrersPm.managerId);

    // The referrer's page: the names and statuses only, in Russian, escaped; no account needed.
    const page = await call('GET', new URL(statusLink).pathname);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Ваши рекомендации');
    expect(page.body).toContain('Sever &lt;Trade&gt;');
    expect(page.body).toContain(prospect.company.name);
    expect(page.body).not.toContain(prospect.contact.email);
    const forged = await call('GET', `${new URL(statusLink).pathname.slice(0, -3)}abc`);
    expect(forged.status).toBe(403);

    // The PM wins the company: the referrer, who consented, is told in its language, with the company's name.
    const accepted = await call('POST', `/v1/leads/${lead.leadId}/decision`, {
      token: referrersPm.token,
      body: { action: 'accept' },
    });
    expect(accepted.status).toBe(200);
    const converted = await call('POST', `/v1/leads/${lead.leadId}/outcome`, {
      token: referrersPm.token,
      body: { outcome: 'converted', products: ['settlement_account'] },
    });
    expect(converted.status).toBe(200);
    const told = await eventually(
      async () =>
        (await mailbox()).find(
          (m) => m.to.includes('cfo@sever.example') && m.text.includes(prospect.company.name),
        ),
      "the referrer's email",
    );
    expect(told.subject).toBe(ru.referralConvertedEmail.subject);
    expect(told.text).not.toContain(prospect.contact.email);
    const after = await call('GET', new URL(statusLink).pathname);
    expect(after.body).toContain(ru.referralStatusPage.status.converted);
    const [kept] = (await call('GET', `/v1/referral-codes/${code}/referrals`, { token: campaigns() })).body
      .referrals;
    expect(kept.status).toBe('converted');
  });

  it("flags a prospect from the referrer's email domain for review, ignores an unknown code, and takes a deactivated code for nobody", async () => {
    const [pm] = await unitOf(REGION, 1);
    if (!pm) throw new Error('no unit');
    const client = await aClientOf(pm.managerId);
    const issued = await call('POST', '/v1/referral-codes', {
      token: campaigns(),
      body: { clientInn: client.inn, emailDomain: 'Sever-Trade.example' },
    });
    const { code } = issued.body;

    const sameDomain = enquiryFrom(REGION);
    const flagged = await call('POST', '/v1/leads', {
      from: clientAddress(),
      body: {
        ...sameDomain,
        contact: { ...sameDomain.contact, email: 'boss@sever-trade.example' },
        source: { referralCode: code },
      },
    });
    expect(flagged.status).toBe(202);
    const listed = await call('GET', `/v1/referral-codes/${code}/referrals`, { token: compliance() });
    expect(listed.body.referrals).toMatchObject([
      { leadId: flagged.body.leadId, status: 'flagged', flags: ['same_email_domain'] },
    ]);
    const reviewed = await call(
      'POST',
      `/v1/referral-codes/${code}/referrals/${flagged.body.leadId}/review`,
      {
        token: compliance(),
        body: { decision: 'confirmed', note: 'the same holding' },
      },
    );
    expect([reviewed.status, reviewed.body.status]).toEqual([200, 'rejected']);
    const twice = await call('POST', `/v1/referral-codes/${code}/referrals/${flagged.body.leadId}/review`, {
      token: compliance(),
      body: { decision: 'cleared' },
    });
    expect([twice.status, twice.body.error.code]).toEqual([409, 'already_reviewed']);

    const unknown = await call('POST', '/v1/leads', {
      from: clientAddress(),
      body: { ...enquiryFrom(REGION), source: { referralCode: 'NO-SUCH-CODE' } },
    });
    expect((await leadAtRest(unknown.body.leadId)).attribution.ignored).toEqual([
      { claim: 'referral_code', reason: 'unknown_code' },
    ]);

    const deactivated = await call('POST', `/v1/referral-codes/${code}/deactivate`, { token: campaigns() });
    expect([deactivated.status, deactivated.body.active]).toEqual([200, false]);
    const late = await call('POST', '/v1/leads', {
      from: clientAddress(),
      body: { ...enquiryFrom(REGION), source: { referralCode: code } },
    });
    expect((await leadAtRest(late.body.leadId)).attribution.ignored).toEqual([
      { claim: 'referral_code', reason: 'inactive_referrer' },
    ]);

    // Only campaign managers issue codes; a code of no client is a 404 naming why.
    const byPm = await call('POST', '/v1/referral-codes', {
      token: pm.token,
      body: { clientInn: client.inn },
    });
    expect(byPm.status).toBe(403);
    const stranger = await call('POST', '/v1/referral-codes', {
      token: campaigns(),
      body: { clientInn: completeInn10(`${REGION}0000000`) },
    });
    expect([stranger.status, stranger.body.error.code]).toEqual([404, 'not_a_client']);
  });
});
