import type { PersonalManager } from '../managers/roster.ts';
import { catalogs } from '../templates/catalog.ts';
import { type Fact, factsHtml, factsText, htmlDocument, paragraph } from '../templates/email.ts';
import type { Locale } from '../templates/locale.ts';
import { escapeHtml, markup, type Templates, templatesFor } from '../templates/render.ts';
import { factorLine } from '../templates/score.ts';
import type { DecisionLinks } from './answer-by-link.ts';
import type { Lead } from './lead.ts';
import type { Email } from './ports.ts';
import type { Score } from './scoring.ts';
import { scoringConfig } from './scoring-config.ts';

export { escapeHtml } from '../templates/render.ts';

/** The header that carries the notification's claim id, so every copy of one notification can be matched. */
export const NOTIFICATION_HEADER = 'X-Attract-Notification';

const repeatWarning = (locale: Locale) => ({
  subject: catalogs[locale].common.possibleRepeatSubject,
  text: catalogs[locale].managerEmail.possibleRepeat,
});

/** The manager email's warning on a possible repeat, per language: the subject's prefix and the first line. */
export const POSSIBLE_REPEAT: Readonly<Record<Locale, { subject: string; text: string }>> = {
  ru: repeatWarning('ru'),
  en: repeatWarning('en'),
};

/** Which notification this email is, and whether an earlier attempt may already have sent it. */
export type NotificationMark = { claimId: string; possibleRepeat: boolean };

/** What a staff notification says; the claim mark adds its header and, on a possible repeat, its warning. */
export type NotificationParts = {
  to: string;
  subject: string;
  htmlBody: string;
  textLines: readonly string[];
  /** What a possible repeat says it is a repeat of (this notification, not a new lead or enquiry). */
  repeatWarning: string;
};

/** A staff notification in one language, the possible-repeat warning first, the claim id in a header and a tag. */
export function notificationEmail(t: Templates, parts: NotificationParts, mark?: NotificationMark): Email {
  const repeat = mark?.possibleRepeat === true;
  const subjectPrefix = repeat ? `${t.catalog.common.possibleRepeatSubject}: ` : '';
  return {
    to: parts.to,
    subject: `${subjectPrefix}${parts.subject}`,
    html: htmlDocument(
      t.locale,
      `${repeat ? `<p><strong>${escapeHtml(parts.repeatWarning)}</strong></p>\n` : ''}${parts.htmlBody}`,
    ),
    text: [...(repeat ? [parts.repeatWarning, ''] : []), ...parts.textLines].join('\n'),
    ...(mark
      ? { headers: { [NOTIFICATION_HEADER]: mark.claimId }, tags: { notification: mark.claimId } }
      : {}),
  };
}

/** The regions a score's configuration lists, when that configuration is the one in force here. */
function listedRegions(score: Score): ReadonlySet<string> | undefined {
  if (score.configVersion !== scoringConfig.version) return undefined;
  return new Set(Object.keys(scoringConfig.factors.region.fractions));
}

function scoreParts(t: Templates, score: Score, classText: string): { html: string; text: string[] } {
  const s = t.catalog.managerEmail.score;
  const regions = listedRegions(score);
  const lines = score.breakdown.map((f) => factorLine(t, f, regions));
  const heading = t.text(s.heading, { total: score.total, class: classText });
  const configuration = t.text(s.configuration, { version: score.configVersion });
  const cell = (text: string, align = '') => `<td${align}>${escapeHtml(text)}</td>`;
  const header = [s.factor, s.value, s.points, s.why].map((h) => `<th align="left">${escapeHtml(h)}</th>`);
  const html = `<h3>${escapeHtml(heading)}</h3>
<table><tr>${header.join('')}</tr>
${lines.map((l) => `<tr>${cell(l.factor)}${cell(l.value)}${cell(l.points, ' align="right"')}${cell(l.why)}</tr>`).join('\n')}
</table>${paragraph(configuration)}`;
  const text = [
    '',
    heading,
    ...lines.map((l) => `- ${t.text(s.line, { ...l, points: l.pointsCounted })}`),
    configuration,
  ];
  return { html, text };
}

/** The email that hands a lead to its personal manager, in the manager's language: who, what, and why it scored so. */
export function managerNotification(
  lead: Lead,
  manager: PersonalManager,
  mark?: NotificationMark,
  links?: DecisionLinks,
): Email {
  const t = templatesFor(manager.language);
  // Times as the manager lives them: in the time zone of their working hours.
  const zone = manager.workingHours.timeZone;
  const m = t.catalog.managerEmail;
  const { labels } = t.catalog;
  const kind = lead.assignment?.kind === 'existing_client' ? 'existingClient' : 'acquisition';
  const classText = lead.leadClass
    ? t.text(m.leadClass, { leadClass: labels.leadClass[lead.leadClass] })
    : m.existingClient;
  const { company, contact } = lead;
  const facts: Fact[] = [
    [m.facts.company, company.name],
    [m.facts.inn, company.inn],
    [m.facts.regionCode, lead.regionCode],
    [m.facts.sizeBand, company.sizeBand && labels.sizeBand[company.sizeBand]],
    [m.facts.industry, company.industry && labels.industry[company.industry]],
    [m.facts.website, company.website],
    [m.facts.products, t.list(lead.products.map((p) => labels.product[p]))],
    [m.facts.contact, [contact.name, contact.position].filter(Boolean).join(', ')],
    [m.facts.email, contact.email],
    [m.facts.phone, contact.phone],
    [m.facts.channel, labels.channel[lead.attribution.channel]],
    [m.facts.message, lead.message],
    [m.facts.receivedAt, t.dateTime(lead.receivedAt, zone)],
    [m.facts.leadId, lead.leadId],
  ];
  const greeting = { manager: manager.name, company: company.name };
  const score = lead.score && scoreParts(t, lead.score, classText);
  const dueAt = lead.assignment?.acceptance.dueAt;
  const answerBy = dueAt ? t.text(m.answerBy, { dueAt: t.dateTime(dueAt, zone) }) : undefined;

  return notificationEmail(
    t,
    {
      to: manager.email,
      subject: t.text(m.subject[kind], { company: company.name, class: classText }),
      htmlBody: [
        `<p>${t.html(m.greeting[kind], { ...greeting, company: markup(`<strong>${escapeHtml(company.name)}</strong>`) })}</p>`,
        ...(answerBy ? [`<p><strong>${escapeHtml(answerBy)}</strong></p>`] : []),
        ...(links
          ? [
              `<p><a href="${escapeHtml(links.accept)}">${escapeHtml(m.acceptLink)}</a> · <a href="${escapeHtml(links.decline)}">${escapeHtml(m.declineLink)}</a></p>`,
            ]
          : []),
        factsHtml(facts),
        ...(score ? [score.html] : []),
      ].join('\n'),
      textLines: [
        t.text(m.greeting[kind], greeting),
        ...(answerBy ? [answerBy] : []),
        ...(links ? [`${m.acceptLink}: ${links.accept}`, `${m.declineLink}: ${links.decline}`] : []),
        '',
        ...factsText(facts),
        ...(score?.text ?? []),
      ],
      repeatWarning: m.possibleRepeat,
    },
    mark,
  );
}
