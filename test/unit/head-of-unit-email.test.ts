import { describe, expect, it } from 'vitest';
import { leadEventId } from '#events/lead-events.ts';
import { apiRoutes } from '#shared/http/routes.ts';
import {
  type Escalation,
  headOfUnitNotification,
  headOfUnitRoutes,
} from '#shared/leads/head-of-unit-email.ts';
import type { Lead } from '#shared/leads/lead.ts';
import { NOTIFICATION_HEADER } from '#shared/leads/manager-email.ts';
import { classifyLead, scoreLead, scoringInputOf } from '#shared/leads/scoring.ts';
import { scoringConfig } from '#shared/leads/scoring-config.ts';
import { catalogs } from '#shared/templates/catalog.ts';

const leadId = '0b5a3c7e-3f0e-4a53-9d57-8f9a3b7f2c11';
const base: Lead = {
  leadId,
  status: 'escalated',
  receivedAt: '2026-11-20T10:00:00.000Z',
  company: { name: 'ООО «Ромашка»', inn: '7707083893', sizeBand: 'medium', industry: 'manufacturing' },
  contact: { name: 'Ольга Смирнова', email: 'olga@romashka.example', phone: '+74951234567' },
  products: ['credit', 'payroll'],
  consents: [{ purpose: 'personal_data_processing', granted: true, textVersion: 'v1' }],
  attribution: { channel: 'web' },
  regionCode: '77',
};
const score = scoreLead(scoringInputOf(base), scoringConfig);
const leadClass = classifyLead(score.total, scoringConfig);
const lead: Lead = { ...base, score, leadClass };

const escalation = (cause: Escalation['cause'], attempts: number): Escalation => ({
  eventId: leadEventId(leadId, 'LeadEscalated', attempts),
  version: 1,
  leadId,
  occurredAt: '2026-11-20T12:00:00.000Z',
  cause,
  attempts,
});
const api = 'https://api.bank.example';
const russian = { address: 'pm-unit@bank.example', language: 'ru' as const };
const english = { address: 'pm-unit@bank.example', language: 'en' as const };

describe("the head of unit's alert", () => {
  it('tells the unit in Russian which lead waits, why, and how to give it to a manager', () => {
    const email = headOfUnitNotification(lead, escalation('attempts_exhausted', 3), russian, { apiUrl: api });
    const ru = catalogs.ru.headOfUnitEmail;
    expect(email.to).toBe('pm-unit@bank.example');
    expect(email.subject).toBe('Лид ждёт назначения: ООО «Ромашка»');
    for (const part of [email.text, email.html]) {
      expect(part).toContain(leadId);
      expect(part).toContain(`${catalogs.ru.labels.leadClass[leadClass]} лид`);
      expect(part).toContain(`${String(score.total).replace('.', ',')} из 100`);
      expect(part).toContain('Средний бизнес');
      expect(part).toContain('Производство');
    }
    expect(email.text).toContain(ru.why.attempts_exhausted);
    expect(email.text).toContain('Предложений менеджерам: 3.');
    expect(email.text).toContain(`POST ${api}/v1/leads/${leadId}/assignment`);
    expect(email.text).toContain(`GET ${api}/v1/unit/waiting-leads`);
    expect(email.text).toContain('Код региона: 77');
    expect(email.html).toContain('<html lang="ru">');
    // The mailbox may be shared: no contact person, email or phone.
    for (const part of [email.text, email.html]) {
      for (const personal of ['Ольга', 'olga@romashka.example', '+74951234567']) {
        expect(part).not.toContain(personal);
      }
    }
  });

  it('tells it in English when the unit reads English, and says when nobody fits from the start', () => {
    const email = headOfUnitNotification(lead, escalation('no_manager', 0), english);
    expect(email.subject).toBe('A lead waits to be assigned: ООО «Ромашка»');
    expect(email.text).toContain(catalogs.en.headOfUnitEmail.why.no_manager);
    expect(email.text).not.toContain('Offers to managers');
    // Without the API's address the routes are paths.
    expect(email.text).toContain(`with POST /v1/leads/${leadId}/assignment and the body {"managerId": "…"}`);
    expect(email.text).toContain('Mid-market');
    expect(email.html).toContain('<html lang="en">');
    expect(email.headers).toBeUndefined();
  });

  it('escapes a hostile company name in the HTML, and keeps it as typed in the text', () => {
    const name = '<script>alert("x")</script> & <b>Co</b>';
    const hostile: Lead = { ...lead, company: { ...lead.company, name } };
    const email = headOfUnitNotification(hostile, escalation('attempts_exhausted', 3), russian);
    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('<b>Co</b>');
    expect(email.html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;Co&lt;/b&gt;',
    );
    expect(email.text).toContain(name);
    expect(email.subject).toBe(`Лид ждёт назначения: ${name}`);
  });

  it('marks a possible repeat and carries the claim id', () => {
    const mark = { claimId: 'claim-1', possibleRepeat: true };
    const email = headOfUnitNotification(lead, escalation('attempts_exhausted', 3), russian, { mark });
    expect(email.subject).toBe('Возможно, повторно: Лид ждёт назначения: ООО «Ромашка»');
    expect(email.text.split('\n')[0]).toBe(catalogs.ru.headOfUnitEmail.possibleRepeat);
    expect(email.headers).toEqual({ [NOTIFICATION_HEADER]: 'claim-1' });
  });

  it('names routes the API has', () => {
    const routes = apiRoutes().map((r) => `${r.method} ${r.path}`);
    expect(routes).toContain('POST /v1/leads/{leadId}/assignment');
    expect(routes).toContain('GET /v1/unit/waiting-leads');
    expect(headOfUnitRoutes('{leadId}', `${api}/`)).toEqual({
      assignment: `${api}/v1/leads/%7BleadId%7D/assignment`,
      waitingList: `${api}/v1/unit/waiting-leads`,
    });
  });
});
