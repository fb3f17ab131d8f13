import { randomUUID } from 'node:crypto';
import type { OfferDeps } from '#shared/offers/keep-offers.ts';
import type { LetterContent } from '#shared/offers/offer.ts';
import type { Offers } from '#shared/offers/ports.ts';
import type { OfferRecipient } from '#shared/offers/render-offer.ts';

/** A cooperation offer as a campaign manager writes one, every variable used in every part. */
export const aRussianLetter = (extra = ''): LetterContent => ({
  subject: '{company}: предложение о сотрудничестве',
  html:
    '<p>Здравствуйте, {contact}!</p>\n<p>Банк предлагает {company} расчётный счёт и зарплатный проект.' +
    `${extra}</p>\n<p title="{manager}">Ваш персональный менеджер: {manager}, <a href="mailto:office@bank.example">` +
    'office@bank.example</a>, {managerPhone}, {managerEmail}</p>',
  text: 'Здравствуйте, {contact}!\nБанк предлагает {company} расчётный счёт.\n{manager}, {managerPhone}, {managerEmail}',
});

export const anEnglishLetter = (): LetterContent => ({
  subject: 'A cooperation offer for {company}',
  html: '<p>Dear {contact},</p><p>{company} is welcome at the bank. {manager}, {managerPhone}, {managerEmail}</p>',
  text: 'Dear {contact},\n{company} is welcome at the bank.\n{manager}, {managerPhone}, {managerEmail}',
});

export const anOfferInput = (extra = '') => ({
  name: 'Расчётное обслуживание 2026',
  content: { ru: aRussianLetter(extra) },
});

export const aRecipient = (overrides: Partial<OfferRecipient> = {}): OfferRecipient => ({
  company: 'ООО «Ромашка»',
  contact: 'Анна Петрова',
  manager: 'Иван Иванов',
  managerEmail: 'i.ivanov@bank.example',
  managerPhone: '+74951234567',
  ...overrides,
});

/** The use cases' dependencies on a store, with a clock that moves a millisecond per reading. */
export function offerDeps(offers: Offers): OfferDeps {
  let tick = Date.parse('2026-11-23T10:00:00.000Z');
  return { offers, now: () => new Date(tick++), newId: () => randomUUID() };
}
