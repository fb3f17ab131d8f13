import { describe, expect, it } from 'vitest';
import { TIMELINE_KINDS, type TimelineEntry, type TimelineKind } from '#shared/leads/lead.ts';
import { timelineText } from '#shared/leads/timeline-text.ts';
import { LOCALES } from '#shared/templates/locale.ts';
import { templatesFor } from '#shared/templates/render.ts';

const DUE = '2026-11-23T10:05:00.000Z'; // 13:05 in Moscow
const ruDue = '23 ноября 2026 г. в 13:05 (МСК)';
const enDue = 'November 23, 2026 at 1:05 PM (Moscow time)';
const sent = { messageId: 'm-1', claimId: 'c-1', attempt: 1, possibleRepeat: false };
const repeated = { ...sent, attempt: 2, possibleRepeat: true };

type Case = { details?: Record<string, unknown>; ru: string; en: string };

/**
 * Every kind, with each variant its details make, as the domain writes them: a kind added to
 * TIMELINE_KINDS without a case here does not compile, and without its template it does not render.
 */
const CASES: Record<TimelineKind, Record<string, Case>> = {
  received: {
    web: {
      details: { channel: 'web' },
      ru: 'Поступила заявка, канал привлечения: Заявка на сайте',
      en: 'Enquiry received, channel: Website form',
    },
  },
  touch: {
    'same as the first': {
      details: { enquiryId: 'e-1', channel: 'referral', matchedBy: ['email'], signals: [], products: [] },
      ru: 'Повторное обращение, канал привлечения: Рекомендация клиента',
      en: 'Repeated enquiry, channel: Client referral',
    },
    'with what differs': {
      details: {
        enquiryId: 'e-1',
        channel: 'web',
        matchedBy: ['inn'],
        signals: ['new_contact', 'other_inn'],
      },
      ru: 'Повторное обращение, канал привлечения: Заявка на сайте; отличия от первого обращения: новое контактное лицо и другой ИНН',
      en: 'Repeated enquiry, channel: Website form; it differs from the first one: a new contact person and another INN',
    },
  },
  existing_client_matched: {
    client: {
      details: { clientId: 'client-7', managerId: 'pm-ivanova' },
      ru: 'Компания уже клиент банка (client-7); обращение берёт её персональный менеджер pm-ivanova',
      en: 'The company is an existing client (client-7); its personal manager pm-ivanova takes the enquiry',
    },
  },
  assessed: {
    scored: {
      details: { total: 61.5, leadClass: 'priority', configVersion: 'scoring-v1' },
      ru: 'Оценка 61,5 из 100: приоритетный лид',
      en: 'Scored 61.5 of 100: priority lead',
    },
  },
  assigned: {
    'by rule': {
      details: { managerId: 'pm-petrov', rule: 'best_fit', policyVersion: 'r1', attempt: 1, dueAt: DUE },
      ru: `Лид назначен персональному менеджеру pm-petrov (лучше всех подходит и имеет свободные места), предложение № 1; ответить нужно до ${ruDue}`,
      en: `Assigned to personal manager pm-petrov (the best fit with free capacity), offer 1; answer due by ${enDue}`,
    },
    "to the referrer's manager outside their hours": {
      details: {
        managerId: 'pm-petrov',
        rule: 'referrer_manager',
        attempt: 2,
        dueAt: DUE,
        outsideHours: true,
      },
      ru: `Лид назначен персональному менеджеру pm-petrov (менеджер клиента, давшего рекомендацию; менеджер вне рабочего времени, срок считается с его следующей смены), предложение № 2; ответить нужно до ${ruDue}`,
      en: `Assigned to personal manager pm-petrov (the referring client's manager; outside their working hours, the time counts from their next shift), offer 2; answer due by ${enDue}`,
    },
    "to the client's own manager": {
      details: { managerId: 'pm-ivanova', rule: 'existing_client', attempt: 1, dueAt: DUE },
      ru: `Лид передан персональному менеджеру клиента pm-ivanova; ответить нужно до ${ruDue}`,
      en: `Handed to the client's personal manager pm-ivanova; answer due by ${enDue}`,
    },
    'by hand': {
      details: { managerId: 'pm-sidorova', by: 'irina.head', attempt: 4, dueAt: DUE, byHand: true },
      ru: `Руководитель подразделения вручную назначил лид персональному менеджеру pm-sidorova, предложение № 4; ответить нужно до ${ruDue}`,
      en: `Assigned by hand by the head of unit to personal manager pm-sidorova, offer 4; answer due by ${enDue}`,
    },
    'reassigned by hand': {
      details: {
        managerId: 'pm-sidorova',
        by: 'irina.head',
        attempt: 2,
        dueAt: DUE,
        byHand: true,
        fromManagerId: 'pm-petrov',
      },
      ru: `Руководитель подразделения вручную передал лид от персонального менеджера pm-petrov менеджеру pm-sidorova, предложение № 2; ответить нужно до ${ruDue}`,
      en: `Reassigned by hand by the head of unit from personal manager pm-petrov to pm-sidorova, offer 2; answer due by ${enDue}`,
    },
  },
  awaiting_manager: {
    nobody: {
      details: { rule: 'unassigned', policyVersion: 'r1', attempt: 1 },
      ru: 'Подходящего персонального менеджера со свободными местами нет; лид ждёт назначения руководителем подразделения',
      en: 'No personal manager fits with free capacity; waiting for the head of unit',
    },
  },
  manager_notified: {
    sent: {
      details: { managerId: 'pm-petrov', ...sent },
      ru: 'Персональному менеджеру pm-petrov отправлено письмо о лиде',
      en: 'Personal manager pm-petrov notified by email',
    },
    'possibly repeated': {
      details: { managerId: 'pm-petrov', ...repeated },
      ru: 'Персональному менеджеру pm-petrov снова отправлено письмо о лиде с пометкой «возможно, повторно»: предыдущая попытка отправки могла пройти',
      en: 'Personal manager pm-petrov notified by email again, marked as a possible repeat: an earlier attempt may have sent it',
    },
  },
  accepted: {
    'in time': {
      details: { managerId: 'pm-petrov', by: 'pm-petrov', attempt: 1, dueAt: DUE, withinSla: true },
      ru: `Лид принят персональным менеджером pm-petrov в срок (до ${ruDue})`,
      en: `Accepted by personal manager pm-petrov in time (due by ${enDue})`,
    },
    'after the due time': {
      details: { managerId: 'pm-petrov', by: 'pm-petrov', attempt: 1, dueAt: DUE, withinSla: false },
      ru: `Лид принят персональным менеджером pm-petrov после срока (${ruDue})`,
      en: `Accepted by personal manager pm-petrov after the due time (${enDue})`,
    },
  },
  declined: {
    'with a configured reason': {
      details: { managerId: 'pm-petrov', attempt: 1, reasonCode: 'not_my_industry', configVersion: 'v1' },
      ru: 'Отказ персонального менеджера pm-petrov: Не моя отрасль; лид передаётся следующему менеджеру',
      en: 'Declined by personal manager pm-petrov: Not my industry; the lead goes to the next one',
    },
    'with a code the list no longer holds': {
      details: { managerId: 'pm-petrov', attempt: 1, reasonCode: 'retired_reason', note: 'Named a person' },
      ru: 'Отказ персонального менеджера pm-petrov: retired_reason; лид передаётся следующему менеджеру',
      en: 'Declined by personal manager pm-petrov: retired_reason; the lead goes to the next one',
    },
  },
  acceptance_timed_out: {
    'timed out': {
      details: { managerId: 'pm-petrov', attempt: 1, dueAt: DUE },
      ru: `Персональный менеджер pm-petrov не ответил до ${ruDue}; лид передаётся следующему менеджеру`,
      en: `Personal manager pm-petrov did not answer by ${enDue}; the lead goes to the next one`,
    },
  },
  escalated: {
    'after three offers': {
      details: { attempts: 3, cause: 'attempts_exhausted' },
      ru: 'Лид предложен 3 персональным менеджерам, и никто его не принял; назначение за руководителем подразделения',
      en: 'Offered to 3 personal managers without an acceptance; the head of unit assigns it',
    },
    'after one offer': {
      details: { attempts: 1, cause: 'attempts_exhausted' },
      ru: 'Лид предложен 1 персональному менеджеру, и никто его не принял; назначение за руководителем подразделения',
      en: 'Offered to 1 personal manager without an acceptance; the head of unit assigns it',
    },
    'nobody can take it': {
      details: { attempts: 0, cause: 'no_manager' },
      ru: 'Лид не может взять ни один персональный менеджер; назначение за руководителем подразделения',
      en: 'No personal manager can take the lead; the head of unit assigns it',
    },
  },
  head_of_unit_notified: {
    sent: {
      details: { eventId: 'ev-1', cause: 'no_manager', attempts: 0, ...sent },
      ru: 'В почтовый ящик подразделения отправлено письмо: лид ждёт руководителя подразделения (подходящего менеджера нет)',
      en: "The PM unit's mailbox was told by email that the lead waits for the head of unit (no manager fits)",
    },
    'possibly repeated': {
      details: { eventId: 'ev-1', cause: 'attempts_exhausted', attempts: 3, ...repeated },
      ru: 'В почтовый ящик подразделения снова отправлено письмо с пометкой «возможно, повторно»: лид ждёт руководителя подразделения (исчерпаны попытки назначения)',
      en: "The PM unit's mailbox was told by email again, marked as a possible repeat, that the lead waits for the head of unit (offers exhausted)",
    },
  },
  referrer_notified: {
    sent: {
      details: { clientId: 'client-sever', ...sent },
      ru: 'Клиенту client-sever, порекомендовавшему банк, отправлено письмо: компания стала клиентом',
      en: 'Client client-sever, who recommended the bank, was emailed that the company became a client',
    },
    'possibly repeated': {
      details: { clientId: 'client-sever', ...repeated },
      ru: 'Клиенту client-sever, порекомендовавшему банк, снова отправлено письмо с пометкой «возможно, повторно»',
      en: 'Client client-sever, who recommended the bank, was emailed again, marked as a possible repeat',
    },
  },
  converted: {
    products: {
      details: { managerId: 'pm-petrov', kind: 'converted', products: ['settlement_account', 'payroll'] },
      ru: 'Компания стала клиентом банка, продукты: Расчётный счёт и Зарплатный проект; результат внёс персональный менеджер pm-petrov',
      en: 'The company became a client, products: Settlement account and Payroll; recorded by personal manager pm-petrov',
    },
  },
  lost: {
    reason: {
      details: { managerId: 'pm-petrov', kind: 'lost', reasonCode: 'chose_competitor', configVersion: 'v1' },
      ru: 'Лид потерян: Выбрал другой банк; результат внёс персональный менеджер pm-petrov',
      en: 'Lost: Chose another bank; recorded by personal manager pm-petrov',
    },
  },
  enquiry_notified: {
    sent: {
      details: { managerId: 'pm-petrov', enquiryId: 'e-1', signals: ['new_message'], ...sent },
      ru: 'Персональному менеджеру pm-petrov отправлено письмо о новом обращении по лиду',
      en: 'Personal manager pm-petrov told of a later enquiry by email',
    },
    'possibly repeated': {
      details: { managerId: 'pm-petrov', enquiryId: 'e-1', signals: [], ...repeated },
      ru: 'Персональному менеджеру pm-petrov снова отправлено письмо о новом обращении по лиду с пометкой «возможно, повторно»',
      en: 'Personal manager pm-petrov told of a later enquiry by email again, marked as a possible repeat',
    },
  },
  intake_failed: {
    failed: {
      details: { error: 'States.TaskFailed' },
      ru: 'Сбой обработки лида: States.TaskFailed',
      en: 'Intake failed: States.TaskFailed',
    },
  },
  intake_resumed: {
    'after a failure': {
      details: { failure: { error: 'States.Timeout', at: DUE }, status: 'qualified' },
      ru: 'Обработка лида запущена снова после сбоя (States.Timeout)',
      en: 'Intake run again after a failure (States.Timeout)',
    },
    'after a failure it no longer knows': {
      details: { status: 'qualified' },
      ru: 'Обработка лида запущена снова после сбоя',
      en: 'Intake run again after a failure',
    },
  },
};

const entry = (kind: TimelineKind, details?: Record<string, unknown>): TimelineEntry => ({
  at: DUE,
  kind,
  ...(details ? { details } : {}),
});

describe('timelineText: a timeline entry as people read it, from the catalogs', () => {
  const cases = TIMELINE_KINDS.flatMap((kind) =>
    Object.entries(CASES[kind]).map(([variant, c]) => ({ kind, variant, ...c })),
  );

  it.each(cases)('$kind ($variant) reads in Russian and in English', ({ kind, details, ru, en }) => {
    expect(timelineText(templatesFor('ru'), entry(kind, details))).toBe(ru);
    expect(timelineText(templatesFor('en'), entry(kind, details))).toBe(en);
  });

  it('has a text for every kind in every language, even for an entry stored without its details', () => {
    for (const kind of TIMELINE_KINDS) {
      expect(Object.keys(CASES[kind]).length, kind).toBeGreaterThan(0);
      for (const locale of LOCALES) {
        const text = timelineText(templatesFor(locale), entry(kind));
        expect(text, `${locale} ${kind}`).toMatch(/\S/);
        expect(text, `${locale} ${kind}`).not.toMatch(/[{}]|undefined|\[object/);
      }
    }
  });

  it('shows a missing or unreadable fact as a dash, never as an error', () => {
    const t = templatesFor('ru');
    expect(timelineText(t, entry('acceptance_timed_out', { managerId: 'pm-petrov', dueAt: 'soon' }))).toBe(
      'Персональный менеджер pm-petrov не ответил до —; лид передаётся следующему менеджеру',
    );
    expect(timelineText(t, entry('received', { channel: 'carrier_pigeon' }))).toBe(
      'Поступила заявка, канал привлечения: carrier_pigeon',
    );
  });

  it('ignores the English summary older versions stored with an entry', () => {
    const stored = { ...entry('intake_failed', { error: 'States.Timeout' }), summary: 'Intake failed: x' };
    expect(timelineText(templatesFor('ru'), stored)).toBe('Сбой обработки лида: States.Timeout');
  });
});
