import { describe, expect, it } from 'vitest';
import type { Lead } from '#shared/leads/lead.ts';
import { escapeHtml, managerNotification } from '#shared/leads/manager-email.ts';
import type { PersonalManager } from '#shared/leads/routing.ts';
import { scoreLead, scoringInputOf } from '#shared/leads/scoring.ts';
import { scoringConfig } from '#shared/leads/scoring-config.ts';

const manager: PersonalManager = {
  managerId: 'pm-1',
  name: 'Elena <Ivanova>',
  email: 'e.ivanova@bank.example',
  segments: ['mid_market'],
  regions: ['77'],
  products: ['credit'],
  capacity: 10,
  activeLeads: 1,
  active: true,
};

const lead: Lead = {
  leadId: '0b5a3c7e-3f0e-4a53-9d57-8f9a3b7f2c11',
  status: 'assigned',
  receivedAt: '2026-11-23T10:00:00.000Z',
  company: { name: 'Romashka <script>alert("x")</script> & Co', inn: '7707083893', sizeBand: 'medium' },
  contact: { name: 'Olga', email: 'olga@romashka.example' },
  products: ['credit', 'payroll'],
  message: "Call me after 5 o'clock <please>",
  consents: [{ purpose: 'personal_data_processing', granted: true, textVersion: 'v1' }],
  attribution: { channel: 'web' },
  regionCode: '77',
  assignment: { managerId: 'pm-1', kind: 'acquisition', assignedAt: '2026-11-23T10:00:01.000Z' },
};

describe('the manager notification', () => {
  it('escapes everything the prospect typed', () => {
    const email = managerNotification(lead, manager);
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('Romashka &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(email.html).toContain('Call me after 5 o&#39;clock &lt;please&gt;');
    expect(email.html).toContain('Elena &lt;Ivanova&gt;');
    expect(email.to).toBe('e.ivanova@bank.example');
  });

  it('carries the score breakdown, factor by factor, in HTML and in text', () => {
    const score = scoreLead(scoringInputOf(lead), scoringConfig);
    const email = managerNotification({ ...lead, score, leadClass: 'priority' }, manager);
    expect(email.subject).toContain('priority lead');
    for (const factor of score.breakdown) {
      expect(email.html).toContain(`<td>${escapeHtml(factor.factor)}</td>`);
      expect(email.text).toContain(`${factor.factor} = ${factor.value}: ${factor.points} points`);
    }
    expect(email.text).toContain(`Score ${score.total} of 100`);
  });
});
