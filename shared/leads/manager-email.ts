import type { Lead } from './lead.ts';
import type { Email } from './ports.ts';
import type { PersonalManager } from './routing.ts';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Everything a prospect typed is untrusted: it is escaped before it goes into a manager's mailbox. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);

const label = (value: string) => value.replaceAll('_', ' ');

/** The header that carries the notification's claim id, so every copy of one notification can be matched. */
export const NOTIFICATION_HEADER = 'X-Attract-Notification';

/** The warning on a possible repeat, Russian first: an earlier attempt may have sent the same email. */
export const POSSIBLE_REPEAT = {
  subject: 'Возможно, повторно / Possibly a repeat',
  ru: 'Возможно, вы уже получили это письмо: предыдущая попытка отправки могла пройти. Это то же уведомление, а не новый лид.',
  en: 'You may have received this email already: an earlier attempt to send it may have gone through. It is the same notification, not a new lead.',
};

/** Which notification this email is, and whether an earlier attempt may already have sent it. */
export type NotificationMark = { claimId: string; possibleRepeat: boolean };

/** The email that hands a lead to its personal manager: who, what they want, and why it scored as it did. */
export function managerNotification(lead: Lead, manager: PersonalManager, mark?: NotificationMark): Email {
  const kind =
    lead.assignment?.kind === 'existing_client' ? 'An enquiry from your client' : 'A new lead for you';
  const classText = lead.leadClass ? `${lead.leadClass} lead` : 'existing client';
  const facts: [string, string | undefined][] = [
    ['Company', lead.company.name],
    ['Tax ID (INN)', lead.company.inn],
    ['Region code', lead.regionCode],
    ['Size', lead.company.sizeBand],
    ['Industry', lead.company.industry && label(lead.company.industry)],
    ['Products of interest', lead.products.map(label).join(', ')],
    ['Contact', [lead.contact.name, lead.contact.position].filter(Boolean).join(', ')],
    ['Email', lead.contact.email],
    ['Phone', lead.contact.phone],
    ['Channel', label(lead.attribution.channel)],
    ['Message', lead.message],
    ['Lead id', lead.leadId],
  ];
  const shown = facts.filter((f): f is [string, string] => Boolean(f[1]));
  const breakdown = lead.score?.breakdown ?? [];

  const repeat = mark?.possibleRepeat
    ? `<p><strong>${escapeHtml(POSSIBLE_REPEAT.ru)}</strong><br>${escapeHtml(POSSIBLE_REPEAT.en)}</p>\n`
    : '';
  const html = `<!doctype html><html><body style="font-family:sans-serif">
${repeat}<p>${escapeHtml(manager.name)}, ${escapeHtml(kind.toLowerCase())}: <strong>${escapeHtml(lead.company.name)}</strong>.</p>
<table>${shown.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>
${
  lead.score
    ? `<h3>Score ${lead.score.total} of 100 (${escapeHtml(classText)})</h3>
<table><tr><th align="left">Factor</th><th align="left">Value</th><th align="right">Points</th><th align="left">Why</th></tr>
${breakdown.map((f) => `<tr><td>${escapeHtml(f.factor)}</td><td>${escapeHtml(f.value)}</td><td align="right">${f.points}</td><td>${escapeHtml(f.explanation)}</td></tr>`).join('\n')}
</table><p>Scoring configuration ${escapeHtml(lead.score.configVersion)}.</p>`
    : ''
}
</body></html>`;

  const text = [
    ...(mark?.possibleRepeat ? [POSSIBLE_REPEAT.ru, POSSIBLE_REPEAT.en, ''] : []),
    `${manager.name}, ${kind.toLowerCase()}: ${lead.company.name}.`,
    '',
    ...shown.map(([k, v]) => `${k}: ${v}`),
    ...(lead.score
      ? [
          '',
          `Score ${lead.score.total} of 100 (${classText}), configuration ${lead.score.configVersion}:`,
          ...breakdown.map((f) => `- ${f.factor} = ${f.value}: ${f.points} points (${f.explanation})`),
        ]
      : []),
  ].join('\n');

  const subject = `${kind}: ${lead.company.name} (${classText})`;
  return {
    to: manager.email,
    subject: mark?.possibleRepeat ? `${POSSIBLE_REPEAT.subject}: ${subject}` : subject,
    html,
    text,
    ...(mark
      ? { headers: { [NOTIFICATION_HEADER]: mark.claimId }, tags: { notification: mark.claimId } }
      : {}),
  };
}
