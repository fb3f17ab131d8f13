import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { call, clientAddress, enquiry, headToken, tokens } from './client.ts';

const compliance = () => tokens()['oleg.compliance'] ?? '';
const campaigns = () => tokens()['anna.campaigns'] ?? '';

const historyOf = (email: string, token = compliance()) =>
  call('GET', `/v1/consents?email=${encodeURIComponent(email)}`, { token });

describe('consent evidence (issue 9, item 6)', () => {
  it('refuses a web lead citing an unknown consent text version, naming the field', async () => {
    const body = enquiry({
      consents: [
        { purpose: 'personal_data_processing', granted: true, textVersion: 'pd-2026-01' },
        { purpose: 'marketing', granted: true, textVersion: 'm-1999-12' },
      ],
    });
    const reply = await call('POST', '/v1/leads', { body, from: clientAddress() });
    expect(reply.status).toBe(400);
    expect(reply.body.error.issues).toEqual([
      { path: 'consents.1.textVersion', message: 'Unknown consent text version: m-1999-12' },
    ]);
    // Nothing was kept of it: the person has no history.
    expect((await historyOf(body.contact.email)).body.entries).toEqual([]);
  });

  it("keeps a web lead's consents with hash, address and user agent; a withdrawal by a compliance officer shows at once", async () => {
    const from = clientAddress();
    const body = enquiry({
      consents: [
        { purpose: 'personal_data_processing', granted: true, textVersion: 'pd-2026-01' },
        { purpose: 'marketing', granted: true, textVersion: 'm-2026-01' },
      ],
    });
    const userAgent = `Mozilla/5.0 (consents-e2e ${randomUUID()})`;
    const submitted = await call('POST', '/v1/leads', { body, from, headers: { 'user-agent': userAgent } });
    expect(submitted.status).toBe(202);

    const text = await call('GET', '/v1/consent-texts/m-2026-01', { token: compliance() });
    expect(text.status).toBe(200);
    const given = await historyOf(body.contact.email.toUpperCase());
    expect(given.status).toBe(200);
    expect(given.body.entries).toHaveLength(2);
    expect(given.body.entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'given',
          purpose: 'marketing',
          textVersion: 'm-2026-01',
          textHash: text.body.hash,
          ip: from,
          userAgent,
          channel: 'web',
          leadId: submitted.body.leadId,
        }),
        expect.objectContaining({
          action: 'given',
          purpose: 'personal_data_processing',
          textVersion: 'pd-2026-01',
        }),
      ]),
    );

    const withdrawn = await call('POST', '/v1/consents/withdrawals', {
      token: compliance(),
      body: { email: body.contact.email, purpose: 'marketing' },
    });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ withdrawn: ['marketing'], suppressed: true });
    const after = await historyOf(body.contact.email);
    expect(after.body.entries[0]).toMatchObject({
      action: 'withdrawn',
      purpose: 'marketing',
      channel: 'compliance_officer',
    });
    expect(after.body.entries).toHaveLength(3);
    // Paged: one at a time, newest first, to the end.
    const first = await call('GET', `/v1/consents?email=${encodeURIComponent(body.contact.email)}&limit=1`, {
      token: compliance(),
    });
    expect(first.body.entries[0]).toMatchObject({ action: 'withdrawn' });
    expect(first.body.next).toEqual(expect.any(String));
  });

  it('lets compliance officers alone read histories, withdraw and publish texts', async () => {
    const email = `nobody.${randomUUID()}@example.com`;
    for (const token of [campaigns(), headToken(), tokens()['pm-petrov'] ?? '']) {
      expect((await historyOf(email, token)).status).toBe(403);
      const withdraw = await call('POST', '/v1/consents/withdrawals', {
        token,
        body: { email, purpose: 'all' },
      });
      expect(withdraw.status).toBe(403);
      expect((await call('GET', '/v1/consent-texts', { token })).status).toBe(403);
    }
    expect((await historyOf('not-an-email')).status).toBe(400);
  });

  it('publishes a text once, for one purpose; a form may cite it at once', async () => {
    const version = `ps-${randomUUID().slice(0, 8)}`;
    const text = { purpose: 'partner_sharing', version, texts: { ru: 'Передача данных партнёрам банка.' } };
    const bundled = await call('POST', '/v1/consent-texts', {
      token: compliance(),
      body: { ...text, purpose: ['personal_data_processing', 'partner_sharing'] },
    });
    expect(bundled.status).toBe(400);
    expect(bundled.body.error.issues[0].path).toBe('purpose');
    const published = await call('POST', '/v1/consent-texts', { token: compliance(), body: text });
    expect(published.status).toBe(201);
    expect(published.body).toMatchObject({ version, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const changed = await call('POST', '/v1/consent-texts', {
      token: compliance(),
      body: { ...text, texts: { ru: 'Другие слова.' } },
    });
    expect(changed.status).toBe(409);

    const body = enquiry({
      consents: [
        { purpose: 'personal_data_processing', granted: true, textVersion: 'pd-2026-01' },
        { purpose: 'partner_sharing', granted: false, textVersion: version },
      ],
    });
    expect((await call('POST', '/v1/leads', { body, from: clientAddress() })).status).toBe(202);
  });
});
