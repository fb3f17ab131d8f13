import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { Keys } from '#shared/access/keys.ts';
import { ProspectStore } from '#shared/adapters/prospect-store.ts';
import { completeInn10 } from '#shared/leads/inn.ts';
import { ProspectFields, toProspect } from '#shared/prospects/prospect.ts';
import { call, clientAddress, dynamo, eventually, leadAtRest, tableName, tokens } from './client.ts';
import { unitOf } from './regions.ts';

/** This file's leads come from region 72, which no demo manager and no other test covers. */
const REGION = '72';

/** A prospect of region 72 stored as an import stores it; its id is any id a letter could name. */
async function storedProspect() {
  const tag = randomUUID().slice(0, 8);
  const fields = ProspectFields.parse({
    company: {
      name: `Letter72 ${tag} <b>&</b> LLC`,
      inn: completeInn10(`${REGION}${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`),
      sizeBand: 'medium',
      industry: 'manufacturing',
    },
    contact: { name: 'Ольга Смирнова', email: `olga.${tag}@letter72.example`, phone: '+74951234567' },
    language: 'ru',
  });
  const prospect = toProspect(Keys.derive(`e2e-prospect-key-material-${randomUUID()}`), fields, {
    importId: `e2e-${tag}`,
    line: 2,
  });
  await new ProspectStore(dynamo(), await tableName()).store([prospect]);
  return prospect;
}

/** A letter's response token, signed by the runtime's key through the campaign managers' route. */
async function responseToken(campaignId: string, prospectId: string) {
  const issued = await call('POST', '/v1/invitations', {
    token: tokens()['anna.campaigns'] ?? '',
    body: { channel: 'letter', campaignId, prospectId, step: 1, validDays: 90 },
  });
  expect(issued.status).toBe(201);
  return String(issued.body.invitation);
}

const form = (fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v);
  return { body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
};

const prefilled = (html: string, name: string) =>
  new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];

/** Items of the table matching a filter: a test's own, found by its campaign id. */
async function itemsWhere(filter: string, values: Record<string, unknown>, names: Record<string, string>) {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo().send(
      new ScanCommand({
        TableName: await tableName(),
        FilterExpression: filter,
        ExpressionAttributeValues: values,
        ExpressionAttributeNames: names,
        ExclusiveStartKey,
      }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

const suppressionsOf = (campaignId: string) =>
  itemsWhere(
    '#latest.#source = :source',
    { ':source': `${campaignId}#1` },
    { '#latest': 'latest', '#source': 'source' },
  );

/** A person's consent history as a compliance officer reads it, newest first. */
const historyOf = async (email: string) => {
  const read = await call('GET', `/v1/consents?email=${encodeURIComponent(email)}`, {
    token: tokens()['oleg.compliance'] ?? '',
  });
  expect(read.status).toBe(200);
  return read.body.entries as Record<string, unknown>[];
};

describe("a letter's links, end to end", () => {
  it('turns "request a call" into a lead credited to the letter, routed to a manager of the region', async () => {
    const [pm] = await unitOf(REGION, 1);
    const prospect = await storedProspect();
    const campaignId = `cmp-${randomUUID()}`;
    const token = await responseToken(campaignId, prospect.prospectId);
    const path = `/v1/letters/respond/${token}`;

    const page = await call('GET', path);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(prefilled(page.body, 'companyName')).toBe(
      prospect.company.name.replace('<b>&</b>', '&lt;b&gt;&amp;&lt;/b&gt;'),
    );
    expect(prefilled(page.body, 'inn')).toBe(prospect.company.inn);
    expect(prefilled(page.body, 'email')).toBe(prospect.contact.email);
    expect(prefilled(page.body, 'phone')).toBe('+74951234567');

    const from = clientAddress();
    const fields = {
      companyName: prospect.company.name,
      inn: prospect.company.inn,
      contactName: 'Ольга Смирнова',
      email: prospect.contact.email,
      phone: '+74951234567',
      products: ['settlement_account', 'payroll', 'credit'],
      message: 'Позвоните, пожалуйста',
    };
    // Without consent the form comes back with the field at fault, and nothing is stored.
    const refused = await call('POST', path, { ...form({ ...fields, inn: '7200000001' }), from });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('data-path="company.inn"');
    expect(refused.body).toContain('data-path="consents"');

    const userAgent = `Mozilla/5.0 (letter-e2e ${randomUUID()})`;
    const filled = form({ ...fields, consent: 'on' });
    const sent = await call('POST', path, {
      ...filled,
      headers: { ...filled.headers, 'user-agent': userAgent },
      from,
    });
    expect(sent.status).toBe(200);
    expect(sent.body).toContain('Спасибо! Заявка принята');
    // The consent's evidence has the browser's user agent and address, as the web form's has.
    expect((await historyOf(prospect.contact.email))[0]).toMatchObject({
      action: 'given',
      purpose: 'personal_data_processing',
      textVersion: 'pd-letter-2026-01',
      channel: 'letter',
      ip: from,
      userAgent,
    });
    const [stored] = await eventually(async () => {
      const found = await itemsWhere(
        '#type = :lead AND attribution.campaignId = :campaign',
        { ':lead': 'Lead', ':campaign': campaignId },
        { '#type': 'type' },
      );
      return found.length ? found : undefined;
    }, 'the lead of the letter');
    const lead = await leadAtRest(String(stored?.leadId));
    expect(lead.attribution).toMatchObject({
      channel: 'letter',
      campaignId,
      prospectId: prospect.prospectId,
    });
    expect(lead.assignedManager.managerId).toBe(pm?.managerId);

    // Pressing the button again is a repeat: grouped on the same lead as an enquiry.
    expect((await call('POST', path, { ...form({ ...fields, consent: 'on' }), from })).status).toBe(200);
    const leads = await itemsWhere(
      '#type = :lead AND attribution.campaignId = :campaign',
      { ':lead': 'Lead', ':campaign': campaignId },
      { '#type': 'type' },
    );
    expect(leads).toHaveLength(1);
  });

  it('answers a forged or altered response link with a page pointing to the form, nothing personal', async () => {
    const prospect = await storedProspect();
    const token = await responseToken(`cmp-${randomUUID()}`, prospect.prospectId);
    const [header, , signature] = token.split('.');
    const claims = Buffer.from(JSON.stringify({ channel: 'letter', campaignId: 'x', prospectId: 'y' }));
    for (const bad of [`${header}.${claims.toString('base64url')}.${signature}`, 'not-a-token']) {
      const page = await call('GET', `/v1/letters/respond/${bad}`, { headers: { 'accept-language': 'en' } });
      expect(page.status).toBe(403);
      expect(page.body).toContain('Please use the form on the bank&#39;s website.');
      expect(page.body).not.toContain(prospect.contact.email);
    }
  });

  it('unsubscribes only on the POST: the page asks first, a repeat is fine, a forged token changes nothing', async () => {
    const prospect = await storedProspect();
    const campaignId = `cmp-${randomUUID()}`;
    const respond = await call(
      'GET',
      `/v1/letters/respond/${await responseToken(campaignId, prospect.prospectId)}`,
    );
    const link = /href="\.\.\/\.\.\/unsubscribe\/([^"]+)"/.exec(respond.body)?.[1] ?? '';
    expect(link).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const path = `/v1/unsubscribe/${link}`;

    const asked = await call('GET', path, { headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    expect(asked.status).toBe(200);
    expect(asked.body).toContain('Stop receiving the bank&#39;s letters with offers at this address?');
    expect(asked.body).toContain('name="List-Unsubscribe" value="One-Click"');
    expect(await suppressionsOf(campaignId)).toEqual([]);

    const [header, , signature] = link.split('.');
    const other = Buffer.from(JSON.stringify({ a: 'A'.repeat(43), c: campaignId, s: 1 })).toString(
      'base64url',
    );
    const forged = await call(
      'POST',
      `/v1/unsubscribe/${header}.${other}.${signature}`,
      form({ 'List-Unsubscribe': 'One-Click' }),
    );
    expect(forged.status).toBe(403);
    expect(forged.body).toContain('Ссылка недействительна.');
    expect(await call('POST', path, form({ other: 'field' }))).toMatchObject({ status: 400 });
    expect(await suppressionsOf(campaignId)).toEqual([]);

    expect(await historyOf(prospect.contact.email)).toEqual([]);

    // The one-click POST as a mail provider sends it: at once, no confirmation asked.
    const oneClick = form({ 'List-Unsubscribe': 'One-Click' });
    const provider = { ...oneClick.headers, 'user-agent': 'Mail provider one-click' };
    const done = await call('POST', path, { ...oneClick, headers: provider });
    expect(done.status).toBe(200);
    expect(done.body).toContain('Банк больше не будет писать вам на этот адрес');
    const [suppressed] = await suppressionsOf(campaignId);
    expect(suppressed).toMatchObject({ latest: { reason: 'unsubscribed', source: `${campaignId}#1` } });
    expect(String(suppressed?.pk)).toMatch(/^SUPPRESSED#[0-9a-f]{64}$/);
    // It is a withdrawal of marketing consent, in the person's history, naming the letter.
    const withdrawn = {
      action: 'withdrawn',
      purpose: 'marketing',
      channel: 'letter_unsubscribe',
      campaignId,
      step: 1,
      userAgent: 'Mail provider one-click',
    };
    expect(await historyOf(prospect.contact.email)).toEqual([expect.objectContaining(withdrawn)]);

    expect((await call('POST', path, form({ 'List-Unsubscribe': 'One-Click' }))).status).toBe(200);
    expect(await suppressionsOf(campaignId)).toHaveLength(1);
    // A second click records nothing new.
    expect(await historyOf(prospect.contact.email)).toEqual([expect.objectContaining(withdrawn)]);
  });
});
