import { describe, expect, it } from 'vitest';
import {
  type Campaign,
  PAUSE_REASONS,
  type PauseReason,
  type StepProgress,
} from '#shared/campaigns/campaign.ts';
import {
  campaignCompletedNotification,
  campaignPausedNotification,
  campaignRoutes,
} from '#shared/campaigns/campaign-team-email.ts';
import { DEFAULT_GUARD } from '#shared/campaigns/deliverability.ts';
import { apiRoutes } from '#shared/http/routes.ts';
import { NOTIFICATION_HEADER } from '#shared/leads/manager-email.ts';
import { DEFAULT_SEND_POLICY } from '#shared/letters/suppression.ts';
import { catalogs } from '#shared/templates/catalog.ts';

const campaignId = '5f0c2a8e-8d7b-4c1e-9a3f-2b6d4e8f1a20';
const api = 'https://api.bank.example';
const russian = { address: 'campaigns@bank.example', language: 'ru' as const };
const english = { address: 'campaigns@bank.example', language: 'en' as const };

const campaign = (overrides: Partial<Campaign> = {}): Campaign => ({
  campaignId,
  name: 'Экспортёры 73',
  audienceIds: ['aud-1'],
  steps: [
    { step: 1, offerId: 'b1d4a3c2-0f5e-4d6c-8b7a-9e0f1a2b3c4d', version: 1, hash: 'a'.repeat(64) },
    {
      step: 2,
      offerId: 'b1d4a3c2-0f5e-4d6c-8b7a-9e0f1a2b3c4d',
      version: 2,
      hash: 'b'.repeat(64),
      waitDays: 3,
    },
  ],
  signatory: { name: 'Иван Иванов', email: 'i.ivanov@bank.example', phone: '+74951234567' },
  policy: DEFAULT_SEND_POLICY,
  sendRate: 10,
  pauseAfterErrors: 25,
  deliverability: DEFAULT_GUARD,
  status: 'completed',
  run: 2,
  author: 'anna.campaigns',
  createdAt: '2026-11-02T09:00:00.000Z',
  updatedAt: '2026-11-09T12:00:00.000Z',
  launchedAt: '2026-11-02T10:00:00.000Z',
  endedAt: '2026-11-09T12:00:00.000Z',
  currentStep: 2,
  ...overrides,
});

const progress = (step: number, overrides: Partial<StepProgress> = {}): StepProgress => ({
  step,
  total: 400,
  sent: 350,
  failed: 2,
  skipped: { no_consent: 30, responded: 11, unsubscribed: 7 },
  deferred: 0,
  open: 0,
  throttled: 0,
  delivered: 340,
  bounced: 8,
  complained: 0,
  opened: 120,
  clicked: 31,
  passDone: true,
  ...overrides,
});

const completed = {
  campaign: campaign(),
  progress: [progress(1), progress(2, { sent: 300 })],
  responses: 12,
};

/** A campaign paused at run 1 by a guard, with these step-1 figures. */
const pausedBy = (reason: PauseReason, p: Partial<StepProgress> = {}) => ({
  campaign: campaign({
    status: 'paused',
    run: 1,
    currentStep: 1,
    endedAt: undefined,
    pause: { reason, at: '2026-11-02T10:30:00.000Z' },
  }),
  progress: [progress(1, { sent: 120, bounced: 6, total: 400, passDone: false, ...p })],
  responses: 0,
});

const percent = (locale: string, share: number) =>
  new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 3 }).format(share);

describe("the campaign team's email when a campaign paused itself", () => {
  it('says in Russian why (the bounce rate against the threshold and the sample), what was done, and how to act', () => {
    const email = campaignPausedNotification(pausedBy('bounces'), russian, { apiUrl: api });
    expect(email.to).toBe('campaigns@bank.example');
    expect(email.subject).toBe('Кампания приостановлена: Экспортёры 73');
    expect(email.text).toContain('Кампания «Экспортёры 73» приостановлена автоматически');
    expect(email.text).toContain(catalogs.ru.labels.pauseReason.bounces);
    expect(email.text).toContain(
      `доля жёстких отказов достигла ${percent('ru', 0.05)} (6 из 120 отправленных писем), порог кампании ${percent('ru', 0.04)}. Проверка начинается с 100 отправленных писем.`,
    );
    expect(email.text).toContain(`GET ${api}/v1/campaigns/${campaignId}`);
    expect(email.text).toContain(`POST ${api}/v1/campaigns/${campaignId}/resume`);
    expect(email.text).toContain(`POST ${api}/v1/campaigns/${campaignId}/cancel`);
    expect(email.text).toContain('Шаг 1');
    expect(email.text).toContain('Отправлено: 120 из 400');
    expect(email.text).toContain('Жёсткие отказы: 6');
    expect(email.text).toContain(`Номер кампании: ${campaignId}`);
    expect(email.html).toContain('<html lang="ru">');
    expect(email.html).toContain(`<code>${api}/v1/campaigns/${campaignId}/resume</code>`);
  });

  it('gives each guard its own reason, with its figures and the campaign limits', () => {
    const complaints = campaignPausedNotification(pausedBy('complaints', { complained: 1 }), russian);
    expect(complaints.text).toContain(
      `доля жалоб на спам достигла ${percent('ru', 1 / 120)} (1 из 120 отправленных писем), порог кампании ${percent('ru', 0.0008)}`,
    );
    const errors = campaignPausedNotification(pausedBy('send_errors', { failed: 25 }), russian);
    expect(errors.text).toContain('которые не удалось отправить: 25; кампания приостанавливается при 25.');
    const refused = campaignPausedNotification(pausedBy('ses_refused'), russian);
    expect(refused.text).toContain(catalogs.ru.campaignTeamEmail.why.ses_refused);
    const failed = campaignPausedNotification(pausedBy('run_failed'), english);
    expect(failed.subject).toBe('Campaign paused: Экспортёры 73');
    expect(failed.text).toContain(catalogs.en.campaignTeamEmail.why.run_failed);
    // Without the API's address the routes are paths.
    expect(failed.text).toContain(
      `Resume (letters go to those who have not had theirs yet): POST /v1/campaigns/${campaignId}/resume`,
    );
    expect(failed.html).toContain('<html lang="en">');
  });

  it('is not written for a pause a person made', () => {
    expect(() => campaignPausedNotification(pausedBy('by_manager'), russian)).toThrow(
      /not paused by a guard/,
    );
  });

  it('has a label for every pause reason and a text for every guard, in both languages', () => {
    for (const locale of ['ru', 'en'] as const) {
      for (const reason of PAUSE_REASONS) {
        expect(catalogs[locale].labels.pauseReason[reason]).toBeTruthy();
        if (reason !== 'by_manager') expect(catalogs[locale].campaignTeamEmail.why[reason]).toBeTruthy();
      }
    }
  });
});

describe("the campaign team's closing summary", () => {
  it('sums up a completed campaign in Russian: when it ran, each step by outcome and skip reason, the responses', () => {
    const email = campaignCompletedNotification(completed, russian, { apiUrl: api });
    const labels = catalogs.ru.labels.skipReason;
    expect(email.subject).toBe('Кампания завершена: Экспортёры 73');
    expect(email.text).toContain('Кампания «Экспортёры 73» завершена: все шаги отправлены.');
    expect(email.text).toContain('Запущена: 2 ноября 2026');
    expect(email.text).toContain('Завершена: 9 ноября 2026');
    expect(email.text).toContain('Откликнулись (заказали звонок): 12');
    const [, step1, step2] = email.text.split(/\n(?=Шаг \d)/);
    for (const [step, sent] of [
      [step1, 350],
      [step2, 300],
    ] as const) {
      expect(step).toContain(`Отправлено: ${sent} из 400`);
      expect(step).toContain(`Пропущено: ${labels.no_consent}: 30`);
      expect(step).toContain(`Пропущено: ${labels.responded}: 11`);
      expect(step).toContain(`Пропущено: ${labels.unsubscribed}: 7`);
      expect(step).toContain('Не удалось отправить: 2');
      expect(step).toContain('Доставлено: 340');
      expect(step).toContain('Жёсткие отказы: 8');
      expect(step).toContain('Жалобы на спам: 0');
      expect(step).toContain('Открыто: 120');
      expect(step).toContain('Переходы по ссылкам: 31');
      // Nobody waits and nothing is unconfirmed at the end: those lines are left out.
      expect(step).not.toContain('Ждут часов отправки');
    }
    // Skip reasons in the catalog's order, whatever order the counters were read in.
    expect(step1?.indexOf(labels.unsubscribed)).toBeLessThan(step1?.indexOf(labels.no_consent) ?? 0);
    expect(email.text).toContain(`GET ${api}/v1/campaigns/${campaignId}`);
    expect(email.html).toContain('<h3>Шаг 2</h3>');
  });

  it('is written in English when the team reads English', () => {
    const email = campaignCompletedNotification(completed, english);
    expect(email.subject).toBe('Campaign completed: Экспортёры 73');
    expect(email.text).toContain('Responded (requested a call): 12');
    expect(email.text).toContain(`Skipped: ${catalogs.en.labels.skipReason.responded}: 11`);
    expect(email.text).toContain('Sent: 350 of 400');
    expect(email.text).toContain('Clicked a link: 31');
  });

  it('escapes a hostile campaign name in the HTML, and keeps it as typed in the text and subject', () => {
    const name = '<script>alert("x")</script> & <b>Co</b>';
    for (const email of [
      campaignCompletedNotification({ ...completed, campaign: campaign({ name }) }, russian),
      campaignPausedNotification(
        { ...pausedBy('bounces'), campaign: { ...pausedBy('bounces').campaign, name } },
        english,
      ),
    ]) {
      expect(email.html).not.toContain('<script>');
      expect(email.html).not.toContain('<b>Co</b>');
      expect(email.html).toContain(
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;Co&lt;/b&gt;',
      );
      expect(email.text).toContain(name);
      expect(email.subject).toContain(name);
    }
  });

  it('marks a possible repeat and carries the claim id', () => {
    const mark = { claimId: 'claim-1', possibleRepeat: true };
    const email = campaignCompletedNotification(completed, russian, { mark });
    expect(email.subject).toBe('Возможно, повторно: Кампания завершена: Экспортёры 73');
    expect(email.text.split('\n')[0]).toBe(catalogs.ru.campaignTeamEmail.possibleRepeat);
    expect(email.headers).toEqual({ [NOTIFICATION_HEADER]: 'claim-1' });
  });

  it('names routes the API has', () => {
    const routes = apiRoutes().map((r) => `${r.method} ${r.path}`);
    for (const route of ['GET', 'POST /resume', 'POST /cancel']) {
      const [method, tail = ''] = route.split(' ');
      expect(routes).toContain(`${method} /v1/campaigns/{campaignId}${tail}`);
    }
    expect(campaignRoutes('{campaignId}', `${api}/`)).toEqual({
      read: `${api}/v1/campaigns/%7BcampaignId%7D`,
      resume: `${api}/v1/campaigns/%7BcampaignId%7D/resume`,
      cancel: `${api}/v1/campaigns/%7BcampaignId%7D/cancel`,
    });
  });
});
