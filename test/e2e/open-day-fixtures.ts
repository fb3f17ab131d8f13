import { randomUUID } from 'node:crypto';
import { expect, inject } from 'vitest';
import { call, eventually, tokens } from './client.ts';

const HOUR = 3_600_000;

/** An instant `days` ahead at `hourUtc` o'clock UTC (10:00 Moscow time is 7). */
export function dayAhead(days: number): (hourUtc: number) => string {
  const day = new Date(Date.now() + days * 24 * HOUR);
  return (hourUtc) =>
    new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hourUtc)).toISOString();
}

/** An open day as a campaign manager plans it: a week ahead, 10:00-13:00 Moscow time, one seat. */
export function anOpenDay(changes: Record<string, unknown> = {}) {
  const at = dayAhead(7);
  return {
    title: { ru: 'День открытых дверей: расчётный счёт за один день', en: 'Open day: an account in one day' },
    description: { ru: 'Персональные менеджеры расскажут о зарплатном проекте и кредитах' },
    startsAt: at(7),
    endsAt: at(10),
    timeZone: 'Europe/Moscow',
    venue: { kind: 'place', address: { ru: 'Москва, ул. Тверская, 1, 3 этаж' } },
    capacity: 1,
    registrationClosesAt: at(5),
    hosts: ['pm-ivanova'],
    ...changes,
  };
}

/** Plans it through the API (a campaign manager's token): the open day as answered. */
export async function planned(changes: Record<string, unknown> = {}) {
  const created = await call('POST', '/v1/open-days', {
    token: tokens()['anna.campaigns'] ?? '',
    body: anOpenDay(changes),
  });
  expect(created.status).toBe(201);
  return created.body as { openDayId: string; endsAt: string; startsAt: string };
}

/**
 * An open day about to happen, for the tests of its run: registration open 30 seconds (room for a few
 * registrations on a loaded machine), starting 5 seconds later and over 2 seconds after that, the check-in
 * closing with it, so the run follows up at once.
 */
export function aboutToHappen(changes: Record<string, unknown> = {}) {
  const seconds = (n: number) => new Date(Date.now() + n * 1000).toISOString();
  return planned({
    startsAt: seconds(35),
    endsAt: seconds(37),
    registrationClosesAt: seconds(30),
    checkInMinutesAfterEnd: 0,
    capacity: 5,
    ...changes,
  });
}

/** The public form's body for a guest, at an address of their own. */
export function aGuest(name: string, email = `guest-${randomUUID().slice(0, 8)}@firm.example`) {
  return {
    contact: { name, email },
    company: { name: `ООО «${name}»`, inn: '7707083893' },
    products: ['settlement_account', 'credit'],
    consents: [{ purpose: 'personal_data_processing', granted: true, textVersion: 'pd-2026-01' }],
  };
}

type Stored = {
  to: string[];
  subject: string;
  text: string;
  invite?: string;
  /** The check-in QR code shown inline (`cid:check-in-code`), as the PNG's bytes. */
  checkInImage?: Uint8Array;
};

/** The mail one address got, oldest first, each with its calendar invite decoded. */
export async function mailTo(address: string): Promise<Stored[]> {
  const store = (await (await fetch(`${inject('mailbox')}/store`)).json()) as {
    emails: {
      subject: string;
      destination: { to: string[] };
      body: { text?: string };
      attachments?: { content: string; filename?: string; contentId?: string; contentDisposition?: string }[];
    }[];
  };
  return store.emails
    .filter((e) => e.destination.to.includes(address))
    .map((e) => {
      const ics = e.attachments?.find((a) => a.filename === 'invite.ics');
      const qr = e.attachments?.find(
        (a) => a.contentId === 'check-in-code' && a.contentDisposition === 'INLINE',
      );
      return {
        to: e.destination.to,
        subject: e.subject,
        text: e.body.text ?? '',
        ...(ics ? { invite: Buffer.from(ics.content, 'base64').toString('utf8') } : {}),
        ...(qr ? { checkInImage: Buffer.from(qr.content, 'base64') } : {}),
      };
    });
}

export const mailCount = (address: string, count: number) =>
  eventually(async () => {
    const mail = await mailTo(address);
    return mail.length >= count ? mail : undefined;
  }, `${count} emails to ${address}`);

/** Runs the open days' minute sweep now (as the schedule would): changes told, owed emails sent. */
export async function sweepNow(): Promise<void> {
  const { body: functions } = await call('GET', '/__local/functions');
  const sweep = (functions as { name: string; entry: string }[]).find((f) =>
    f.entry.endsWith('open-days/sweep-open-days.ts'),
  );
  const swept = await call('POST', `/__local/functions/${sweep?.name}/invoke`, { body: {} });
  expect(swept.status).toBe(200);
}
