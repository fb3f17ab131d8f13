import { describe, expect, it } from 'vitest';
import { enquiryNotification } from '#shared/leads/enquiry-email.ts';
import type { Enquiry, Lead } from '#shared/leads/lead.ts';
import { escapeHtml, NOTIFICATION_HEADER } from '#shared/leads/manager-email.ts';
import type { PersonalManager } from '#shared/managers/roster.ts';
import { catalogs } from '#shared/templates/catalog.ts';
import { anAssignment } from './support/managers.ts';
import { aManager } from './support/ports-contract.ts';

const manager: PersonalManager = aManager({
  managerId: 'pm-1',
  name: 'Елена Иванова',
  capacity: 10,
  activeLeads: 1,
});
const english: PersonalManager = { ...manager, name: 'Elena Ivanova', language: 'en' };

const lead: Lead = {
  leadId: '0b5a3c7e-3f0e-4a53-9d57-8f9a3b7f2c11',
  status: 'assigned',
  receivedAt: '2026-11-20T10:00:00.000Z',
  company: { name: 'ООО «Ромашка»', inn: '7707083893', sizeBand: 'medium' },
  contact: { name: 'Ольга Смирнова', email: 'olga@romashka.example' },
  products: ['credit'],
  consents: [{ purpose: 'personal_data_processing', granted: true, textVersion: 'v1' }],
  attribution: { channel: 'web' },
  regionCode: '77',
  assignment: anAssignment('pm-1', { assignedAt: '2026-11-20T10:00:01.000Z' }),
};

/** The same person asking again, about payroll too. */
const again: Enquiry = {
  enquiryId: 'enq-1',
  leadId: lead.leadId,
  receivedAt: '2026-11-23T10:00:00.000Z',
  company: lead.company,
  contact: { ...lead.contact, phone: '+74951234567' },
  products: ['credit', 'payroll'],
  message: 'Нужен ещё зарплатный проект',
  consents: lead.consents,
  attribution: { channel: 'open_day' },
  matchedBy: ['email', 'inn'],
  signals: ['new_message', 'other_products'],
};

/** Someone else giving the company's INN, under another name. */
const stranger: Enquiry = {
  ...again,
  enquiryId: 'enq-2',
  company: { name: 'Romashka <script>alert(1)</script>', inn: lead.company.inn },
  contact: { name: 'Пётр <b>Сидоров</b>', email: 'petr@other.example', position: 'директор' },
  products: ['credit'],
  matchedBy: ['inn'],
  signals: ['new_contact', 'other_company_name'],
};

describe('the new-enquiry email', () => {
  it('tells the manager in Russian who asked again, what, and through which channel', () => {
    const email = enquiryNotification(lead, again, manager);
    expect(email.to).toBe(manager.email);
    expect(email.subject).toBe('Новое обращение по лиду ООО «Ромашка»');
    expect(email.text).toContain('Елена Иванова, по вашему лиду ООО «Ромашка» пришло новое обращение.');
    expect(email.text).toContain('С лидом его связало совпадение: адрес эл. почты и ИНН.');
    expect(email.text).toContain('Контактное лицо: Ольга Смирнова\n');
    expect(email.text).toContain('Телефон: +74951234567');
    expect(email.text).toContain(
      'Интересующие продукты: Кредит и Зарплатный проект; новое для лида: Зарплатный проект',
    );
    expect(email.text).toContain('Сообщение: Нужен ещё зарплатный проект');
    expect(email.text).toContain('Канал привлечения: День открытых дверей');
    expect(email.text).toContain('Получено: 23 ноября 2026 г. в 13:00 (МСК)');
    expect(email.text).toContain('Номер обращения: enq-1');
    expect(email.text).not.toContain(catalogs.ru.enquiryEmail.checkBeforeCalling);
    expect(email.html).not.toContain(escapeHtml(catalogs.ru.enquiryEmail.checkBeforeCalling));
  });

  it('flags a different person and company name, shows both beside the first enquiry, and says to check before calling', () => {
    const email = enquiryNotification(lead, stranger, manager);
    expect(email.subject).toBe('Новое обращение по лиду ООО «Ромашка»: проверьте, кто это');
    expect(email.text).toContain(
      '- другое контактное лицо: Пётр <b>Сидоров</b> (petr@other.example); в первом обращении: Ольга Смирнова (olga@romashka.example)',
    );
    expect(email.text).toContain(
      '- другое название компании: «Romashka <script>alert(1)</script>»; в первом обращении: «ООО «Ромашка»»',
    );
    expect(email.text).not.toContain('другой ИНН');
    expect(email.text).toContain(catalogs.ru.enquiryEmail.checkBeforeCalling);
    expect(email.text).toContain('Контактное лицо: Пётр <b>Сидоров</b>, директор (новое контактное лицо)');
    expect(email.text).toContain('С лидом его связало совпадение: ИНН.');
    expect(email.html).toContain(
      `<strong>${escapeHtml(catalogs.ru.enquiryEmail.checkBeforeCalling)}</strong>`,
    );
  });

  it('flags another INN under the same email', () => {
    const otherCompany: Enquiry = {
      ...again,
      company: { name: lead.company.name, inn: '7736050003' },
      matchedBy: ['email'],
      signals: ['other_inn'],
    };
    const email = enquiryNotification(lead, otherCompany, english);
    expect(email.subject).toBe('A new enquiry about your lead ООО «Ромашка»: check who this is');
    expect(email.text).toContain('- a different INN: 7736050003; first enquiry: 7707083893');
    expect(email.text).toContain(catalogs.en.enquiryEmail.checkBeforeCalling);
    expect(email.text).toContain('It was matched to the lead by email address.');
  });

  it('escapes everything either enquiry carried', () => {
    const email = enquiryNotification(
      { ...lead, company: { ...lead.company, name: 'A & <i>B</i>' } },
      stranger,
      manager,
    );
    expect(email.html).not.toMatch(/<script>|<b>|<i>/);
    expect(email.html).toContain('Romashka &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.html).toContain('Пётр &lt;b&gt;Сидоров&lt;/b&gt;');
    expect(email.html).toContain('<strong>A &amp; &lt;i&gt;B&lt;/i&gt;</strong>');
  });

  it('is entirely in English for a manager who reads English', () => {
    const email = enquiryNotification(lead, stranger, english);
    expect(email.subject).toBe('A new enquiry about your lead ООО «Ромашка»: check who this is');
    expect(email.html).toContain('<html lang="en">');
    expect(email.text).toContain('Elena Ivanova, a new enquiry has come in about your lead ООО «Ромашка».');
    expect(email.text).toContain('- a different contact person: Пётр <b>Сидоров</b> (petr@other.example)');
    expect(email.text).toContain('Acquisition channel: Open day');
    expect(email.text).toContain('Received: November 23, 2026 at 1:00');
    const data = [
      lead.company.name,
      stranger.contact.name,
      stranger.contact.position ?? '',
      stranger.message ?? '',
      lead.contact.name,
    ];
    expect(data.reduce((rest, d) => rest.replaceAll(d, ''), email.text)).not.toMatch(/[а-яё]/i);
  });

  it('carries the claim mark and, on a possible repeat, its own warning first', () => {
    const email = enquiryNotification(lead, again, manager, { claimId: 'claim-9', possibleRepeat: true });
    expect(email.headers).toEqual({ [NOTIFICATION_HEADER]: 'claim-9' });
    expect(email.tags).toEqual({ notification: 'claim-9' });
    expect(email.subject).toBe('Возможно, повторно: Новое обращение по лиду ООО «Ромашка»');
    expect(email.text.startsWith(catalogs.ru.enquiryEmail.possibleRepeat)).toBe(true);
    expect(enquiryNotification(lead, again, manager).headers).toBeUndefined();
  });
});
