import { describe, expect, it } from 'vitest';
import type { Lead } from '#shared/leads/lead.ts';
import {
  escapeHtml,
  managerNotification,
  NOTIFICATION_HEADER,
  POSSIBLE_REPEAT,
} from '#shared/leads/manager-email.ts';
import { scoreLead, scoringInputOf } from '#shared/leads/scoring.ts';
import { scoringConfig } from '#shared/leads/scoring-config.ts';
import type { PersonalManager } from '#shared/managers/roster.ts';
import { anAssignment } from './support/managers.ts';
import { aManager } from './support/ports-contract.ts';

const manager: PersonalManager = aManager({
  managerId: 'pm-1',
  name: 'Елена <Иванова>',
  capacity: 10,
  activeLeads: 1,
});
const english: PersonalManager = { ...manager, name: 'Elena Ivanova', language: 'en' };

const lead: Lead = {
  leadId: '0b5a3c7e-3f0e-4a53-9d57-8f9a3b7f2c11',
  status: 'assigned',
  receivedAt: '2026-11-23T10:00:00.000Z',
  company: {
    name: 'Ромашка <script>alert("x")</script> & Co',
    inn: '7707083893',
    sizeBand: 'medium',
    industry: 'manufacturing',
  },
  contact: { name: 'Ольга Смирнова', email: 'olga@romashka.example', position: 'финансовый директор' },
  products: ['settlement_account', 'credit', 'payroll'],
  message: "Позвоните после 17:00 <пожалуйста>, it's urgent",
  consents: [{ purpose: 'personal_data_processing', granted: true, textVersion: 'v1' }],
  attribution: { channel: 'web' },
  regionCode: '77',
  assignment: anAssignment('pm-1', { assignedAt: '2026-11-23T10:00:01.000Z' }),
};
const score = scoreLead(scoringInputOf(lead), scoringConfig);
const scored: Lead = { ...lead, score, leadClass: 'priority' };

describe('the manager notification', () => {
  it('escapes everything the prospect typed', () => {
    const email = managerNotification(lead, manager);
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('Ромашка &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(email.html).toContain('Позвоните после 17:00 &lt;пожалуйста&gt;, it&#39;s urgent');
    expect(email.html).toContain('Елена &lt;Иванова&gt;');
    expect(email.to).toBe('e.ivanova@bank.example');
  });

  it('is in Russian by default, every label from the catalog: no English word but the data itself', () => {
    const email = managerNotification(scored, manager);
    expect(email.subject).toBe(`Новый лид: ${lead.company.name} (приоритетный лид)`);
    expect(email.text).toContain('Елена <Иванова>, вам передан новый лид: Ромашка');
    expect(email.text).toContain('Интересующие продукты: Расчётный счёт, Кредит и Зарплатный проект');
    expect(email.text).toContain('Канал привлечения: Заявка на сайте');
    expect(email.text).toContain('Отрасль: Производство');
    expect(email.text).toContain('Получен: 23 ноября 2026 г. в 13:00 (МСК)');
    // The due time the acceptance SLA set: the assignment's, an hour after it was made.
    expect(email.text).toContain('Примите лид или откажитесь от него до 23 ноября 2026 г. в 14:00 (МСК).');
    expect(email.html).toContain('<html lang="ru">');
    // What is left once the data is taken out is all Russian: the template has no English literal.
    const data = [
      lead.company.name,
      lead.message ?? '',
      lead.contact.email,
      lead.leadId,
      score.configVersion,
    ];
    const withoutData = (part: string) =>
      [...data, ...data.map(escapeHtml)].reduce((rest, d) => rest.replaceAll(d, ''), part);
    expect(withoutData(email.subject)).not.toMatch(/[A-Za-z]/);
    expect(withoutData(email.text)).not.toMatch(/[A-Za-z]/);
    const visible = withoutData(email.html).replace(/<[^>]*>|&[#\w]+;/g, '');
    expect(visible).not.toMatch(/[A-Za-z]/);
  });

  it("gives times in the manager's own time zone, named, when it is not Moscow", () => {
    const far = { ...manager, workingHours: { ...manager.workingHours, timeZone: 'Asia/Vladivostok' } };
    const email = managerNotification(scored, far);
    expect(email.text).toContain('Получен: 23 ноября 2026 г. в 20:00 GMT+10');
    expect(email.text).toContain('Примите лид или откажитесь от него до 23 ноября 2026 г. в 21:00 GMT+10.');
    const inEnglish = managerNotification(scored, { ...far, language: 'en' });
    expect(inEnglish.text).toContain('November 23, 2026 at 09:00 PM GMT+10');
  });

  it('carries the score breakdown in the manager language, each factor from its name, value, weight and fraction', () => {
    const email = managerNotification(scored, manager);
    const size = score.breakdown.find((f) => f.factor === 'sizeBand');
    expect(size).toMatchObject({ value: 'medium', weight: 25, fraction: 0.7, points: 17.5 });
    expect(email.text).toContain(`Оценка ${String(score.total).replace('.', ',')} из 100 (приоритетный лид)`);
    expect(email.text).toContain('- Размер компании: Среднее предприятие, 17,5 балла (доля 0,7 от веса 25)');
    expect(email.text).toContain('- Регион: 77, 10 баллов (доля 1 от веса 10)');
    expect(email.text).toContain('- Полнота заявки: сообщение, размер компании и отрасль');
    expect(email.text).toContain(`Конфигурация оценки: ${score.configVersion}.`);
    expect(email.html).toContain(
      '<tr><td>Размер компании</td><td>Среднее предприятие</td><td align="right">17,5</td><td>доля 0,7 от веса 25</td></tr>',
    );
    for (const factor of score.breakdown) expect(email.text).not.toContain(factor.explanation);
  });

  it('says when a region is not one the scoring configuration lists', () => {
    const elsewhere = { ...lead, company: { ...lead.company, inn: '1234567894' }, regionCode: '12' };
    const email = managerNotification(
      { ...elsewhere, score: scoreLead(scoringInputOf(elsewhere), scoringConfig) },
      manager,
    );
    expect(email.text).toContain(
      '- Регион: 12, 5 баллов (регион не из списка, доля по умолчанию 0,5 от веса 10)',
    );
  });

  it('is entirely in English for a manager who reads English', () => {
    const email = managerNotification(scored, english);
    expect(email.subject).toBe(`A new lead for you: ${lead.company.name} (priority lead)`);
    expect(email.text).toContain('Elena Ivanova, a new lead for you: Ромашка');
    expect(email.text).toContain('Products of interest: Settlement account, Credit, and Payroll');
    expect(email.text).toContain('Received: November 23, 2026 at 1:00');
    expect(email.text).toContain(`Score ${score.total} of 100 (priority lead)`);
    expect(email.text).toContain('- Company size: Medium-sized company, 17.5 points (0.7 of weight 25)');
    expect(email.html).toContain('<html lang="en">');
    expect(email.html).toContain('<th align="left">Acquisition channel</th><td>Website form</td>');
    // Russian appears only where the prospect wrote it.
    const data = [lead.company.name, lead.contact.name, lead.contact.position ?? '', lead.message ?? ''];
    const rest = data.reduce((s, d) => s.replaceAll(d, ''), email.text);
    expect(rest).not.toMatch(/[а-яё]/i);
  });

  it("names an existing client's enquiry as such, with no class", () => {
    const fromClient: Lead = {
      ...lead,
      assignment: anAssignment('pm-1', { kind: 'existing_client', assignedAt: lead.receivedAt }),
    };
    expect(managerNotification(fromClient, manager).subject).toBe(
      `Обращение вашего клиента: ${lead.company.name}`,
    );
    expect(managerNotification(fromClient, english).text).toContain(
      'Elena Ivanova, your client has an enquiry',
    );
  });

  it('marks a possible repeat in the manager language, under the claim id', () => {
    const mark = { claimId: 'claim-1', possibleRepeat: true };
    const russian = managerNotification(scored, manager, mark);
    expect(russian.subject).toBe(
      `${POSSIBLE_REPEAT.ru.subject}: Новый лид: ${lead.company.name} (приоритетный лид)`,
    );
    expect(russian.text.startsWith(`${POSSIBLE_REPEAT.ru.text}\n`)).toBe(true);
    expect(russian.html).toContain(`<strong>${escapeHtml(POSSIBLE_REPEAT.ru.text)}</strong>`);
    expect(russian.text).not.toContain(POSSIBLE_REPEAT.en.text);
    expect(russian.headers).toEqual({ [NOTIFICATION_HEADER]: 'claim-1' });
    expect(russian.tags).toEqual({ notification: 'claim-1' });

    const inEnglish = managerNotification(scored, english, mark);
    expect(inEnglish.subject.startsWith(`${POSSIBLE_REPEAT.en.subject}: A new lead for you`)).toBe(true);
    expect(inEnglish.text.startsWith(POSSIBLE_REPEAT.en.text)).toBe(true);

    const first = managerNotification(scored, manager, { claimId: 'claim-1', possibleRepeat: false });
    expect(first.subject).not.toContain(POSSIBLE_REPEAT.ru.subject);
    expect(first.text).not.toContain(POSSIBLE_REPEAT.ru.text);
    expect(first.headers).toEqual({ [NOTIFICATION_HEADER]: 'claim-1' });
  });
});
