import { describe, expect, it } from 'vitest';
import { signInLocally } from '#local/sign-in.ts';
import { api, call, headToken, tokens } from './client.ts';

const campaigns = () => tokens()['anna.campaigns'] ?? '';
const compliance = () => tokens()['oleg.compliance'] ?? '';

const letter = (subject = 'Предложение о сотрудничестве для {company}') => ({
  ru: {
    subject,
    html: '<p>Здравствуйте, {contact}! Предложение для {company}.</p><p>Ваш персональный менеджер: {manager}, {managerEmail}.</p><p><a href="https://bank.example/business">О банке</a></p>',
    text: 'Здравствуйте, {contact}! Ваш персональный менеджер: {manager}, {managerEmail}, {managerPhone}.',
  },
});
const recipient = {
  company: 'ООО "Ромашка" <script>alert(1)</script>',
  contact: 'Ольга Смирнова',
  manager: 'Елена Иванова',
  managerEmail: 'e.ivanova@bank.example',
  managerPhone: '+7 495 000-00-00',
};

describe('offers: written by campaign managers, approved by compliance officers', () => {
  it('refuses an offer that breaks the rules, naming each field; only campaign managers write offers', async () => {
    const bad = await call('POST', '/v1/offers', {
      token: campaigns(),
      body: {
        name: 'Осень',
        content: {
          ru: {
            ...letter().ru,
            subject: 'Для {companyName}',
            html: '<p onclick="x()">Привет</p><script>1</script>',
          },
        },
      },
    });
    expect(bad.status).toBe(400);
    const paths = bad.body.error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['content.ru.subject', 'content.ru.html']));
    // Only campaign managers write offers; a compliance officer or a personal manager may not.
    for (const token of [compliance(), tokens()['pm-petrov'] ?? '', headToken()]) {
      const refused = await call('POST', '/v1/offers', { token, body: { name: 'X', content: letter() } });
      expect(refused.status).toBe(403);
    }
  });

  it('approves exactly the version read, never by its author; an edit needs its own approval; all audited', async () => {
    const created = await call('POST', '/v1/offers', {
      token: campaigns(),
      body: { name: 'Зарплатный проект', content: letter() },
    });
    expect(created.status).toBe(201);
    const { offerId, hash } = created.body;
    const decide = (version: number, token: string, body: object) =>
      call('POST', `/v1/offers/${offerId}/versions/${version}/decision`, { token, body });

    // The compliance officer reads it and previews it: every value escaped in the HTML.
    const read = await call('GET', `/v1/offers/${offerId}`, { token: compliance() });
    expect(read.body).toMatchObject({ latestVersion: 1, approved: null, latest: { hash, decision: null } });
    const preview = await call('POST', `/v1/offers/${offerId}/versions/1/preview`, {
      token: compliance(),
      body: { recipient },
    });
    expect(preview.status).toBe(200);
    expect(preview.body.subject).toBe(`Предложение о сотрудничестве для ${recipient.company}`);
    expect(preview.body.html).not.toContain('<script>');
    expect(preview.body.html).toContain('ООО &quot;Ромашка&quot; &lt;script&gt;');
    expect(preview.body.text).toContain('e.ivanova@bank.example');

    // A malformed decision or preview is refused with the field at fault, and records nothing.
    const malformed = await decide(1, compliance(), { outcome: 'approved', hash: 'not-a-hash' });
    expect([malformed.status, malformed.body.error.issues[0].path]).toEqual([400, 'hash']);
    const noReason = await decide(1, compliance(), { outcome: 'rejected', hash });
    expect([noReason.status, noReason.body.error.issues[0].path]).toEqual([400, 'reason']);
    const badPreview = await call('POST', `/v1/offers/${offerId}/versions/1/preview`, {
      token: compliance(),
      body: { recipient: { ...recipient, company: '' }, language: 'de' },
    });
    expect(badPreview.status).toBe(400);
    expect(badPreview.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'language',
      'recipient.company',
    ]);

    // Bound to the hash read; a campaign manager cannot decide; the author cannot approve their own.
    expect((await decide(1, campaigns(), { outcome: 'approved', hash })).status).toBe(403);
    const wrong = await decide(1, compliance(), { outcome: 'approved', hash: 'a'.repeat(64) });
    expect([wrong.status, wrong.body.error.code]).toEqual([409, 'hash_mismatch']);
    const both = await signInLocally(api(), headToken(), {
      username: 'vera.both',
      groups: ['campaign_manager', 'compliance_officer'],
    });
    const hers = await call('POST', '/v1/offers', { token: both, body: { name: 'Своё', content: letter() } });
    const own = await call('POST', `/v1/offers/${hers.body.offerId}/versions/1/decision`, {
      token: both,
      body: { outcome: 'approved', hash: hers.body.hash },
    });
    expect(own.status).toBe(403);

    expect((await decide(1, compliance(), { outcome: 'approved', hash })).status).toBe(200);
    const twice = await decide(1, compliance(), { outcome: 'rejected', hash, reason: 'Передумал' });
    expect([twice.status, twice.body.error.code]).toEqual([409, 'decided']);
    expect((await call('GET', `/v1/offers/${offerId}`, { token: campaigns() })).body.approved).toMatchObject({
      version: 1,
      hash,
    });

    // An edit is version 2: the offer is not approved until it is; an edit from a stale version is refused.
    const subject = 'Новое предложение для {company}';
    const edited = await call('POST', `/v1/offers/${offerId}/versions`, {
      token: campaigns(),
      body: { basedOn: 1, content: letter(subject) },
    });
    expect([edited.status, edited.body.version]).toEqual([201, 2]);
    const stale = await call('POST', `/v1/offers/${offerId}/versions`, {
      token: campaigns(),
      body: { basedOn: 1, content: letter() },
    });
    expect([stale.status, stale.body.error.code]).toEqual([409, 'stale']);
    expect((await call('GET', `/v1/offers/${offerId}`, { token: compliance() })).body.approved).toBeNull();
    const rejected = await decide(2, compliance(), {
      outcome: 'rejected',
      hash: edited.body.hash,
      reason: 'Нет реквизитов',
    });
    expect(rejected.status).toBe(200);

    const audit = await call('GET', `/v1/offers/${offerId}/audit`, { token: compliance() });
    expect(audit.body.entries.map((e: { action: string; version: number }) => [e.action, e.version])).toEqual(
      [
        ['created', 1],
        ['approved', 1],
        ['version_saved', 2],
        ['rejected', 2],
      ],
    );
    expect(audit.body.entries[1]).toMatchObject({ by: 'oleg.compliance', hash });
    // Other roles read no offers; an unknown offer is 404.
    expect((await call('GET', `/v1/offers/${offerId}`, { token: tokens()['pm-petrov'] ?? '' })).status).toBe(
      403,
    );
    expect((await call('GET', `/v1/offers/${crypto.randomUUID()}`, { token: compliance() })).status).toBe(
      404,
    );
  });
});
