import { randomUUID } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { describe, expect, inject, it } from 'vitest';
import { completeInn10 } from '#shared/leads/inn.ts';
import { call, clientAddress, eventually, headToken, tokens } from './client.ts';
import { aboutToHappen, aGuest } from './open-day-fixtures.ts';

/** The region this file owns: its guests' companies are of it (the run makes leads only of who came). */
const REGION = '75';
const inn = () => completeInn10(`${REGION}${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`);
const compliance = () => tokens()['oleg.compliance'] ?? '';

type Stored = { messageId: string; subject: string; text: string };

/** The mail one address got, oldest first. */
async function mailTo(address: string): Promise<Stored[]> {
  const store = (await (await fetch(`${inject('mailbox')}/store`)).json()) as {
    emails: { messageId: string; subject: string; destination: { to: string[] }; body: { text?: string } }[];
  };
  return store.emails
    .filter((e) => e.destination.to.includes(address))
    .map((e) => ({ messageId: e.messageId, subject: e.subject, text: e.body.text ?? '' }));
}

/** The email as its reader's mail client reads it: the .eml parsed by a MIME parser. */
async function parsedEmail(messageId: string) {
  const eml = (await (await fetch(`${inject('mailbox')}/get-emlContent?messageId=${messageId}`)).json()) as {
    body: { data: number[] };
  };
  return simpleParser(Buffer.from(eml.body.data));
}

/** The withdrawal link in an email's text: the footer's last line. */
const withdrawalLink = (text: string) => {
  const url = /https?:\/\/\S+(\/v1\/consents\/withdraw\/[\w-]+\.[\w-]+\.[\w-]+)$/.exec(text.trimEnd());
  if (!url?.[1]) throw new Error('no withdrawal link at the end of the email');
  return { url: url[0], path: url[1] };
};

const oneClick = {
  body: 'List-Unsubscribe=One-Click',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
};

const historyOf = async (email: string) =>
  (await call('GET', `/v1/consents?email=${encodeURIComponent(email)}`, { token: compliance() })).body
    .entries as Record<string, unknown>[];

describe('consent withdrawal from an open day email, end to end', () => {
  it("records the registrant's withdrawal from the confirmation's footer once, and the no-show follow-up skips them at once", async () => {
    const { openDayId } = await aboutToHappen({
      title: { ru: 'День открытых дверей: отзыв согласия' },
      materials: { url: 'https://bank.example/open-days/consents' },
    });
    const tag = randomUUID().slice(0, 8);
    const [withdrew, stayed] = [`withdrew-${tag}@firm75.example`, `stayed-${tag}@firm75.example`];
    for (const [email, name] of [
      [withdrew, 'Отказалась'],
      [stayed, 'Остался'],
    ] as const) {
      const guest = aGuest(name, email);
      const registered = await call('POST', `/v1/open-days/${openDayId}/registrations`, {
        body: {
          ...guest,
          company: { ...guest.company, inn: inn() },
          consents: [...guest.consents, { purpose: 'marketing', granted: true, textVersion: 'm-2026-01' }],
        },
      });
      expect(registered.body.status).toBe('confirmed');
    }

    // The confirmation's footer carries her withdrawal link: opening it asks, the one-click POST withdraws.
    const [confirmation] = await eventually(async () => {
      const mail = await mailTo(withdrew);
      return mail.length ? mail : undefined;
    }, `the confirmation to ${withdrew}`);
    const { path } = withdrawalLink(confirmation?.text ?? '');
    const asked = await call('GET', path);
    expect(asked.status).toBe(200);
    expect(asked.body).toContain('Отозвать согласие на получение писем банка с предложениями?');
    const from = clientAddress();
    const userAgent = `Mozilla/5.0 (withdrawal-e2e ${tag})`;
    const done = await call('POST', path, {
      ...oneClick,
      from,
      headers: { ...oneClick.headers, 'user-agent': userAgent },
    });
    expect(done.status).toBe(200);
    expect((await call('POST', path, { ...oneClick, from })).status).toBe(200);

    // Her history: the registration's consents, then the withdrawal, recorded once with where it came from.
    const history = await historyOf(withdrew);
    expect(history[0]).toMatchObject({
      action: 'withdrawn',
      purpose: 'marketing',
      channel: 'withdrawal_link',
      ip: from,
      userAgent,
    });
    expect(history.filter((e) => e.action === 'withdrawn')).toHaveLength(1);
    expect(history).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'given', purpose: 'marketing', channel: 'open_day' }),
      ]),
    );

    // Neither comes. After the end, the run holds the open day: the follow-up, marketing, goes to him alone.
    const held = await eventually(
      async () => {
        const read = await call('GET', `/v1/open-days/${openDayId}`, { token: headToken() });
        return read.body.status === 'held' ? read.body : undefined;
      },
      'the open day to be held',
      90_000,
    );
    expect(held).toMatchObject({ progress: { phase: 'held', leads: 0, noShows: 2 } });
    const followUp = await eventually(async () => {
      return (await mailTo(stayed)).find((e) => e.subject.startsWith('Жаль'));
    }, 'the no-show follow-up');
    expect((await mailTo(withdrew)).filter((e) => e.subject.startsWith('Жаль'))).toEqual([]);

    // His follow-up carries his own link, as the footer and as the one-click List-Unsubscribe.
    const own = withdrawalLink(followUp.text);
    expect(own.path).not.toBe(path);
    const mime = await parsedEmail(followUp.messageId);
    const list = mime.headers.get('list') as { unsubscribe: { url: string } };
    expect(list.unsubscribe.url).toBe(own.url);
    expect(
      mime.headers.get('list-unsubscribe-post') ??
        mime.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line,
    ).toContain('List-Unsubscribe=One-Click');
  }, 180_000);
});
