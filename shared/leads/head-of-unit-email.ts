import type { LeadEventDetail } from '#events/lead-events.ts';
import { segmentOf } from '../managers/routing-policy.ts';
import { type Fact, factsHtml, factsText, paragraph } from '../templates/email.ts';
import type { Locale } from '../templates/locale.ts';
import { escapeHtml, markup, templatesFor } from '../templates/render.ts';
import type { Lead } from './lead.ts';
import { type NotificationMark, notificationEmail } from './manager-email.ts';
import type { Email } from './ports.ts';

/** Where the PM unit's alerts go: the head of unit's address or the unit's shared mailbox, and its language. */
export type UnitMailbox = { address: string; language: Locale };

/** Why the lead waits for the head of unit, as its LeadEscalated event says. */
export type Escalation = LeadEventDetail<'LeadEscalated'>;

/**
 * The API routes the head of unit acts on a waiting lead with (shared/http/routes.ts declares them): give it
 * to a manager, and the list of every waiting lead; under the API's address when it is known.
 */
export function headOfUnitRoutes(leadId: string, apiUrl = ''): { assignment: string; waitingList: string } {
  const base = apiUrl.replace(/\/+$/, '');
  return {
    assignment: `${base}/v1/leads/${encodeURIComponent(leadId)}/assignment`,
    waitingList: `${base}/v1/unit/waiting-leads`,
  };
}

/**
 * Tells the PM unit's mailbox, in its language, that a lead waits for the head of unit: which lead (what a
 * work list shows of it, no contact details: the mailbox may be shared), why nobody holds it, and how to
 * give it to a manager.
 */
export function headOfUnitNotification(
  lead: Lead,
  escalation: Escalation,
  unit: UnitMailbox,
  options: { mark?: NotificationMark; apiUrl?: string } = {},
): Email {
  const t = templatesFor(unit.language);
  const h = t.catalog.headOfUnitEmail;
  const { labels } = t.catalog;
  const { company } = lead;
  const classText = lead.leadClass
    ? t.text(h.leadClass, { leadClass: labels.leadClass[lead.leadClass] })
    : h.existingClient;
  const facts: Fact[] = [
    [h.facts.company, company.name],
    [h.facts.leadId, lead.leadId],
    [h.facts.leadClass, classText],
    [h.facts.score, lead.score && t.text(h.score, { total: lead.score.total })],
    [h.facts.segment, h.segment[segmentOf(company.sizeBand)]],
    [h.facts.regionCode, lead.regionCode],
    [h.facts.sizeBand, company.sizeBand && labels.sizeBand[company.sizeBand]],
    [h.facts.industry, company.industry && labels.industry[company.industry]],
    [h.facts.products, t.list(lead.products.map((p) => labels.product[p]))],
    [h.facts.receivedAt, t.dateTime(lead.receivedAt)],
    [h.facts.waitingSince, t.dateTime(escalation.occurredAt)],
  ];
  const why = [
    h.why[escalation.cause],
    ...(escalation.attempts > 0 ? [t.text(h.attempts, { attempts: escalation.attempts })] : []),
  ];
  const routes = headOfUnitRoutes(lead.leadId, options.apiUrl);
  const code = (url: string) => markup(`<code>${escapeHtml(url)}</code>`);

  return notificationEmail(
    t,
    {
      to: unit.address,
      subject: t.text(h.subject, { company: company.name }),
      htmlBody: [
        `<p>${t.html(h.intro, { company: markup(`<strong>${escapeHtml(company.name)}</strong>`) })}</p>`,
        ...why.map(paragraph),
        `<p>${t.html(h.act.assign, { url: code(routes.assignment) })}</p>`,
        `<p>${t.html(h.act.waitingList, { url: code(routes.waitingList) })}</p>`,
        factsHtml(facts),
      ].join('\n'),
      textLines: [
        t.text(h.intro, { company: company.name }),
        ...why,
        '',
        t.text(h.act.assign, { url: routes.assignment }),
        t.text(h.act.waitingList, { url: routes.waitingList }),
        '',
        ...factsText(facts),
      ],
      repeatWarning: h.possibleRepeat,
    },
    options.mark,
  );
}
