import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { call, tokens } from './client.ts';

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

/** The public form's body for a guest, at an address of their own. */
export function aGuest(name: string, email = `guest-${randomUUID().slice(0, 8)}@firm.example`) {
  return {
    contact: { name, email },
    company: { name: `ООО «${name}»`, inn: '7707083893' },
    products: ['settlement_account', 'credit'],
    consents: [{ purpose: 'personal_data_processing', granted: true, textVersion: 'pd-2026-01' }],
  };
}
