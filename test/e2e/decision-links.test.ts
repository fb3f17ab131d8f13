import { describe, expect, it } from 'vitest';
import {
  call,
  clientAddress,
  eventually,
  finishedExecution,
  headToken,
  leadAtRest,
  mailbox,
} from './client.ts';
import { leadFrom, unitOf } from './regions.ts';

/** The accept and decline links of the email that offered the lead to this manager. */
async function linksOf(leadId: string, managerEmail: string) {
  const email = await eventually(
    async () => (await mailbox()).find((m) => m.to.includes(managerEmail) && m.text.includes(leadId)),
    `the email to ${managerEmail}`,
  );
  const link = (label: string) => new RegExp(`^${label}: (\\S+)$`, 'm').exec(email.text)?.[1] ?? '';
  return { accept: link('Принять лид'), decline: link('Отказаться от лида') };
}

/** A link's path on this API (the email's address is the API's own). */
const pathOf = (link: string) => new URL(link).pathname;
const press = (link: string, form = '') =>
  call('POST', pathOf(link), {
    body: form,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    from: clientAddress(),
  });
const open = (link: string) => call('GET', pathOf(link), { from: clientAddress() });
const leadOf = async (leadId: string) =>
  (await call('GET', `/v1/leads/${leadId}`, { token: headToken() })).body;

describe("the accept and decline links of a manager's email", () => {
  it('open a page that changes nothing; its button accepts once; a forged link is refused', async () => {
    const [pm] = await unitOf('89', 1);
    const lead = await leadFrom('89');
    const links = await linksOf(lead.leadId, pm?.email ?? '');
    expect(links.accept).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/decisions\/[\w-]+\.[\w-]+\.[\w-]+$/);

    // Opening the link (as a mail scanner would) only shows the question.
    const page = await open(links.accept);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain(`Принять лид ${lead.company.name}?`);
    expect(page.body).toContain('<form method="post">');
    expect((await leadOf(lead.leadId)).status).toBe('assigned');

    // A token altered by one character is not the bank's.
    const forged = `${links.accept.slice(0, -2)}${links.accept.endsWith('A') ? 'B' : 'A'}${links.accept.slice(-1)}`;
    expect((await open(forged)).status).toBe(403);
    expect((await press(forged)).status).toBe(403);

    const done = await press(links.accept);
    expect(done.status).toBe(200);
    expect(done.body).toContain(`лид ${lead.company.name} ваш`);
    expect((await finishedExecution(lead.leadId)).status).toBe('SUCCEEDED');
    const accepted = await leadOf(lead.leadId);
    expect(accepted.status).toBe('accepted');
    expect(accepted.timeline.find((e: { kind: string }) => e.kind === 'accepted').details.by).toMatch(
      /^link:/,
    );

    // Used once: pressed again, or the decline link afterwards, changes nothing.
    expect((await press(links.accept)).status).toBe(409);
    expect((await press(links.decline, 'reasonCode=other')).status).toBe(409);
    expect((await leadOf(lead.leadId)).status).toBe('accepted');
  });

  it('declines with a reason, and the old links then answer nothing', async () => {
    const unit = await unitOf('88', 2);
    const lead = await leadFrom('88');
    const first = unit.find((m) => m.managerId === lead.assignedManager.managerId);
    const links = await linksOf(lead.leadId, first?.email ?? '');

    const unexplained = await press(links.decline);
    expect(unexplained.status).toBe(400);
    expect(unexplained.body).toContain('Выберите причину отказа.');

    const declined = await press(
      links.decline,
      'reasonCode=not_my_region&note=%D0%9D%D0%B5%20%D0%BD%D0%B0%D1%88',
    );
    expect(declined.status).toBe(200);
    const next = await eventually(async () => {
      const read = await leadAtRest(lead.leadId);
      return read.assignedManager?.attempt === 2 ? read : undefined;
    }, 'the second offer');
    expect(next.assignedManager.managerId).not.toBe(first?.managerId);
    const entry = next.timeline.find((e: { kind: string }) => e.kind === 'declined');
    expect(entry.details).toMatchObject({ reasonCode: 'not_my_region', note: 'Не наш' });

    // The first manager's links belong to an assignment that ended: neither answers for the next manager.
    expect((await press(links.accept)).status).toBe(409);
    expect((await open(links.accept)).status).toBe(409);
    expect((await leadOf(lead.leadId)).assignedManager.managerId).toBe(next.assignedManager.managerId);
  });
});
