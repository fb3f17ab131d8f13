import { randomUUID } from 'node:crypto';
import { ListExecutionsCommand, ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { simpleParser } from 'mailparser';
import { describe, expect, inject, it } from 'vitest';
import { completeInn10 } from '#shared/leads/inn.ts';
import { catalogs } from '#shared/templates/catalog.ts';
import {
  call,
  clientAddress,
  dynamo,
  eventually,
  headToken,
  leadAtRest,
  mailbox,
  sfn,
  tableName,
  tokens,
} from './client.ts';
import { unitOf } from './regions.ts';

/** This file's prospects and leads are of region 73, which no demo manager and no other test covers. */
const REGION = '73';
const campaigns = () => tokens()['anna.campaigns'] ?? '';

/** The campaign team's mailbox the local runtime runs with: `attract:campaignMailbox`'s default, in Russian. */
const CAMPAIGN_MAILBOX = 'campaigns@bank.example';

/** What the campaign team was told of this campaign (each email names it by its id). */
const teamEmailsAbout = async (campaignId: string) =>
  (await mailbox()).filter((m) => m.to.includes(CAMPAIGN_MAILBOX) && m.text.includes(campaignId));
const compliance = () => tokens()['oleg.compliance'] ?? '';

const MAPPING = {
  ИНН: 'inn',
  Компания: 'companyName',
  Контакт: 'contactName',
  Почта: 'email',
  Теги: 'tags',
  Согласие: 'consentGranted',
  Источник: 'consentSource',
  Дата: 'consentDate',
  Отрасль: 'industry',
  Размер: 'sizeBand',
};

/** A file of prospects as a bank's export has it: four companies of the region, one without consent. */
function prospectsFile(tag: string) {
  const inn = () => completeInn10(`${REGION}${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`);
  const rows = [
    [inn(), 'ООО «Вектор»', 'Анна Петрова', `anna.${tag}@vector73.example`, 'да'],
    [inn(), 'АО «Север»', 'Борис Орлов', `boris.${tag}@sever73.example`, 'да'],
    [inn(), 'ООО «Без согласия»', 'Вера Лунина', `vera.${tag}@nocons73.example`, 'нет'],
    [inn(), 'ООО «Отскок»', 'Глеб Отказов', `bounce+${tag}@simulator.amazonses.com`, 'да'],
  ];
  const lines = rows.map(([i, company, contact, email, consent]) =>
    [
      i,
      `"${company?.replaceAll('"', '""')}"`,
      contact,
      email,
      tag,
      consent,
      'выставка',
      '15.03.2026',
      'manufacturing',
      'medium',
    ].join(','),
  );
  return { rows, csv: [Object.keys(MAPPING).join(','), ...lines].join('\r\n') };
}

/** Imports the file through the presigned upload and the job, as the console does. */
async function imported(csv: string) {
  const created = await call('POST', '/v1/prospect-imports', {
    token: campaigns(),
    body: {
      fileName: 'выставка.csv',
      contentType: 'text/csv',
      size: Buffer.byteLength(csv),
      mapping: MAPPING,
    },
  });
  expect(created.status).toBe(201);
  const put = await fetch(created.body.upload.url, {
    method: 'PUT',
    headers: { 'content-type': 'text/csv' },
    body: csv,
  });
  expect(put.status).toBe(200);
  const { importId } = created.body;
  expect((await call('POST', `/v1/prospect-imports/${importId}/start`, { token: campaigns() })).status).toBe(
    202,
  );
  return eventually(async () => {
    const read = await call('GET', `/v1/prospect-imports/${importId}`, { token: campaigns() });
    return ['finished', 'failed'].includes(read.body.status) ? read.body : undefined;
  }, 'the import to end');
}

async function frozenAudience(tag: string) {
  const created = await call('POST', '/v1/audiences', {
    token: campaigns(),
    body: { name: 'Выставка-73', filters: { tags: { anyOf: [tag] } } },
  });
  expect(created.status).toBe(201);
  const { audienceId } = created.body;
  expect((await call('POST', `/v1/audiences/${audienceId}/approval`, { token: campaigns() })).status).toBe(
    202,
  );
  await eventually(async () => {
    const read = await call('GET', `/v1/audiences/${audienceId}`, { token: campaigns() });
    return read.body.status === 'frozen' ? read.body : undefined;
  }, 'the audience to freeze');
  return audienceId as string;
}

async function approvedOffer() {
  const created = await call('POST', '/v1/offers', {
    token: campaigns(),
    body: {
      name: 'Расчётный счёт для экспортёров',
      content: {
        ru: {
          subject: '{company}: предложение банка',
          html: '<p>Здравствуйте, {contact}!</p><p>Банк предлагает {company} расчётный счёт. {manager}, {managerPhone}</p>',
          text: 'Здравствуйте, {contact}!\nБанк предлагает {company} расчётный счёт. {manager}, {managerPhone}',
        },
      },
    },
  });
  expect(created.status).toBe(201);
  const { offerId, hash } = created.body;
  const decided = await call('POST', `/v1/offers/${offerId}/versions/1/decision`, {
    token: compliance(),
    body: { outcome: 'approved', hash },
  });
  expect(decided.status).toBe(200);
  return offerId as string;
}

type StoredLetter = { messageId: string; to: string[]; text: string };

async function lettersTo(address: string): Promise<StoredLetter[]> {
  const store = (await (await fetch(`${inject('mailbox')}/store`)).json()) as {
    emails: { messageId: string; destination: { to: string[] }; body: { text?: string } }[];
  };
  return store.emails
    .filter((e) => e.destination.to.includes(address))
    .map((e) => ({ messageId: e.messageId, to: e.destination.to, text: e.body.text ?? '' }));
}

/** The letter as its recipient's mail client reads it: the .eml parsed by a MIME parser. */
async function parsedLetter(messageId: string) {
  const eml = (await (await fetch(`${inject('mailbox')}/get-emlContent?messageId=${messageId}`)).json()) as {
    body: { data: number[] };
  };
  return simpleParser(Buffer.from(eml.body.data));
}

describe('a letter campaign, end to end', () => {
  it('imports, freezes, approves, launches and sends one letter each with one-click unsubscribe; a reply becomes a routed lead', async () => {
    const [pm] = await unitOf(REGION, 1);
    const tag = `c73-${randomUUID().slice(0, 8)}`;
    const { rows, csv } = prospectsFile(tag);
    expect(await imported(csv)).toMatchObject({
      status: 'finished',
      counts: { rows: 4, created: 4, rejected: 0 },
    });
    const audienceId = await frozenAudience(tag);
    const offerId = await approvedOffer();

    const draft = await call('POST', '/v1/campaigns', {
      token: campaigns(),
      body: {
        name: 'Экспортёры 73',
        audienceIds: [audienceId],
        steps: [{ offerId, version: 1 }],
        signatory: { name: 'Иван Иванов', email: 'i.ivanov@bank.example', phone: '+74951234567' },
        policy: {
          consentRequired: true,
          frequencyCap: { letters: 4, windowDays: 30 },
          sendingWindow: { from: '00:00', until: '23:59' },
        },
        sendRate: 5,
      },
    });
    expect(draft.status).toBe(201);
    const { campaignId } = draft.body;
    expect((await call('POST', `/v1/campaigns/${campaignId}/launch`, { token: compliance() })).status).toBe(
      403,
    );
    const launched = await call('POST', `/v1/campaigns/${campaignId}/launch`, { token: campaigns() });
    expect(launched.status).toBe(200);
    expect(launched.body.steps[0].hash).toMatch(/^[0-9a-f]{64}$/);

    const ended = await eventually(async () => {
      const read = await call('GET', `/v1/campaigns/${campaignId}`, { token: headToken() });
      return read.body.status === 'running' ? undefined : read.body;
    }, 'the campaign to end');
    expect(ended).toMatchObject({
      status: 'completed',
      progress: [{ step: 1, total: 4, sent: 3, failed: 0, open: 0, skipped: { no_consent: 1 }, done: true }],
    });

    const [anna, boris, vera, bounced] = rows.map((r) => r[3] as string);
    for (const address of [anna, boris, bounced]) expect(await lettersTo(address as string)).toHaveLength(1);
    expect(await lettersTo(vera as string)).toEqual([]);
    const [letter] = await lettersTo(anna as string);
    const mime = await parsedLetter(letter?.messageId ?? '');
    expect(mime.subject).toBe('ООО «Вектор»: предложение банка');
    const list = mime.headers.get('list') as {
      unsubscribe: { url: string };
      'unsubscribe-post': { name: string };
    };
    expect(list.unsubscribe.url).toMatch(/\/v1\/unsubscribe\/[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(
      mime.headers.get('list-unsubscribe-post') ??
        mime.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line,
    ).toContain('List-Unsubscribe=One-Click');
    expect(mime.text).toContain('Здравствуйте, Анна Петрова!');
    expect(mime.html).toContain(list.unsubscribe.url);

    // The campaign team gets the closing summary, once: each step by outcome and skip reason.
    const [summary, ...more] = await eventually(async () => {
      const found = await teamEmailsAbout(campaignId);
      return found.length ? found : undefined;
    }, "the campaign's closing summary");
    expect(more).toEqual([]);
    expect(summary?.subject).toBe('Кампания завершена: Экспортёры 73');
    expect(summary?.text).toContain('Отправлено: 3 из 4');
    expect(summary?.text).toContain(`Пропущено: ${catalogs.ru.labels.skipReason.no_consent}: 1`);
    expect(summary?.text).toMatch(new RegExp(`GET http\\S+/v1/campaigns/${campaignId}`));

    // "Request a call" from the letter: the response page, then the same capture path as the web form.
    const respond = /\/v1\/letters\/respond\/[\w.-]+/.exec(letter?.text ?? '')?.[0] ?? '';
    expect((await call('GET', respond)).status).toBe(200);
    const form = new URLSearchParams({
      companyName: 'ООО «Вектор»',
      inn: rows[0]?.[0] ?? '',
      contactName: 'Анна Петрова',
      email: anna as string,
      phone: '+74951234567',
      products: 'settlement_account',
      message: 'Позвоните мне',
      consent: 'on',
    });
    const sent = await call('POST', respond, {
      body: form.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      from: clientAddress(),
    });
    expect(sent.status).toBe(200);
    const leadId = await eventually(async () => {
      const { Items = [] } = await dynamo().send(
        new ScanCommand({
          TableName: await tableName(),
          FilterExpression: '#type = :lead AND attribution.campaignId = :campaign',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { ':lead': 'Lead', ':campaign': campaignId },
        }),
      );
      return Items[0]?.leadId as string | undefined;
    }, 'the lead of the letter');
    const lead = await leadAtRest(leadId);
    expect(lead.attribution).toMatchObject({ channel: 'letter', campaignId });
    expect(lead.assignedManager.managerId).toBe(pm?.managerId);
    // The campaign counts the prospect who answered.
    const answered = await eventually(async () => {
      const read = await call('GET', `/v1/campaigns/${campaignId}`, { token: campaigns() });
      return read.body.responses === 1 ? read.body : undefined;
    }, "the campaign's response to be counted");
    expect(answered.responses).toBe(1);

    // A launched campaign is launched once.
    const again = await call('POST', `/v1/campaigns/${campaignId}/launch`, { token: campaigns() });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'not_a_draft' } } });
  });

  it('refuses to launch an unapproved offer or an audience that is not frozen, naming the step or audience', async () => {
    const created = await call('POST', '/v1/offers', {
      token: campaigns(),
      body: { name: 'Черновик', content: { ru: { subject: 'Тема', html: '<p>Текст</p>', text: 'Текст' } } },
    });
    const draftAudience = await call('POST', '/v1/audiences', {
      token: campaigns(),
      body: { name: 'Черновик', filters: { tags: { anyOf: ['nobody-73'] } } },
    });
    const body = {
      name: 'Не готова',
      audienceIds: [draftAudience.body.audienceId],
      steps: [{ offerId: created.body.offerId, version: 1 }],
      signatory: { name: 'Иван Иванов', email: 'i.ivanov@bank.example', phone: '+74951234567' },
    };
    const draft = await call('POST', '/v1/campaigns', { token: campaigns(), body });
    expect(draft.status).toBe(201);
    const refused = await call('POST', `/v1/campaigns/${draft.body.campaignId}/launch`, {
      token: campaigns(),
    });
    expect(refused).toMatchObject({
      status: 409,
      body: { error: { code: 'offer_not_approved', issues: [{ path: 'steps.0.version' }] } },
    });
    await call('POST', `/v1/offers/${created.body.offerId}/versions/1/decision`, {
      token: compliance(),
      body: { outcome: 'approved', hash: created.body.hash },
    });
    const unfrozen = await call('POST', `/v1/campaigns/${draft.body.campaignId}/launch`, {
      token: campaigns(),
    });
    expect(unfrozen).toMatchObject({
      status: 409,
      body: { error: { code: 'audience_not_frozen', issues: [{ path: 'audienceIds.0' }] } },
    });
    const bad = await call('POST', '/v1/campaigns', {
      token: campaigns(),
      body: { ...body, steps: [{ offerId: created.body.offerId, version: 7 }], sendRate: 0 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['sendRate']);
  });

  it("pauses itself on the simulator's hard bounces, says why, and sends nothing more until resumed", async () => {
    const tag = `b73-${randomUUID().slice(0, 8)}`;
    const inn = () => completeInn10(`${REGION}${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`);
    // Every other address bounces: the guard's 4% is passed at its minimum sample of 10.
    const lines = Array.from({ length: 40 }, (_, i) =>
      [
        inn(),
        `Компания ${i}`,
        `Контакт ${i}`,
        i % 2 ? `bounce+${tag}-${i}@simulator.amazonses.com` : `ok.${i}.${tag}@firm73.example`,
        tag,
        'да',
        'выставка',
        '15.03.2026',
        'manufacturing',
        'medium',
      ].join(','),
    );
    const csv = [Object.keys(MAPPING).join(','), ...lines].join('\r\n');
    expect(await imported(csv)).toMatchObject({ status: 'finished', counts: { created: 40 } });
    const audienceId = await frozenAudience(tag);
    const created = await call('POST', '/v1/campaigns', {
      token: campaigns(),
      body: {
        name: 'Отскоки',
        audienceIds: [audienceId],
        steps: [{ offerId: await approvedOffer(), version: 1 }],
        signatory: { name: 'Иван Иванов', email: 'i.ivanov@bank.example', phone: '+74951234567' },
        policy: {
          consentRequired: true,
          frequencyCap: { letters: 4, windowDays: 30 },
          sendingWindow: { from: '00:00', until: '23:59' },
        },
        sendRate: 4,
        deliverability: { minSample: 10, bounceRate: 0.04, complaintRate: 0.0008 },
      },
    });
    const { campaignId } = created.body;
    await call('POST', `/v1/campaigns/${campaignId}/launch`, { token: campaigns() });
    const paused = await eventually(async () => {
      const read = await call('GET', `/v1/campaigns/${campaignId}`, { token: campaigns() });
      return read.body.status === 'running' ? undefined : read.body;
    }, 'the campaign to stop');
    expect(paused).toMatchObject({ status: 'paused', pause: { reason: 'bounces' } });
    const [progress] = paused.progress;
    expect(progress.bounced).toBeGreaterThan(0);
    expect(progress.sent).toBeLessThan(40);
    // The run sees the pause within a second and ends (Paused); from then on nothing more is sent.
    const { stateMachines = [] } = await sfn().send(new ListStateMachinesCommand({}));
    const stateMachineArn = stateMachines.find((m) =>
      m.name?.includes('LetterCampaignStateMachine'),
    )?.stateMachineArn;
    const run = await eventually(async () => {
      const { executions = [] } = await sfn().send(new ListExecutionsCommand({ stateMachineArn }));
      const found = executions.find((e) => e.name === `${campaignId}-1`);
      return found && found.status !== 'RUNNING' ? found : undefined;
    }, 'the paused run to end');
    expect(run.status).toBe('SUCCEEDED');
    // Before it ended, the run told the campaign team why the campaign paused, with the figures.
    const told = await teamEmailsAbout(campaignId);
    expect(told).toHaveLength(1);
    expect(told[0]?.subject).toBe('Кампания приостановлена: Отскоки');
    expect(told[0]?.text).toContain(catalogs.ru.labels.pauseReason.bounces);
    expect(told[0]?.text).toMatch(
      /Почему: доля жёстких отказов достигла .+ \(\d+ из \d+ отправленных писем\)/,
    );
    expect(told[0]?.text).toMatch(new RegExp(`POST http\\S+/v1/campaigns/${campaignId}/resume`));
    const ended = await call('GET', `/v1/campaigns/${campaignId}`, { token: campaigns() });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const later = await call('GET', `/v1/campaigns/${campaignId}`, { token: campaigns() });
    expect(later.body.progress[0].sent + later.body.progress[0].open).toBe(
      ended.body.progress[0].sent + ended.body.progress[0].open,
    );
  });
});
