import { NOTIFICATION_HEADER, type NotificationMark } from '../leads/manager-email.ts';
import type { Email } from '../leads/ports.ts';
import { htmlDocument } from '../templates/email.ts';
import type { Locale } from '../templates/locale.ts';
import { escapeHtml, markup, templatesFor } from '../templates/render.ts';

/**
 * The referrer's email when a company it recommended became a client (docs/referrals.md), in the language
 * its representative chose, every text from the catalogs: the company's name, and the link to the
 * referrer's status page; nothing else of the company.
 */
export function referrerEmail(
  to: { email: string; language: Locale },
  facts: { clientName: string; companyName: string; statusLink: string },
  mark: NotificationMark,
): Email {
  const t = templatesFor(to.language);
  const e = t.catalog.referralConvertedEmail;
  const vars = { company: facts.companyName, client: facts.clientName };
  const link = markup(`<a href="${escapeHtml(facts.statusLink)}">${escapeHtml(e.statusLink)}</a>`);
  const subject = mark.possibleRepeat ? `${t.catalog.common.possibleRepeatSubject}: ${e.subject}` : e.subject;
  return {
    to: to.email,
    subject,
    html: htmlDocument(
      to.language,
      [`<p>${t.html(e.body, vars)}</p>`, `<p>${t.html(e.status, { link })}</p>`].join('\n'),
    ),
    text: [t.text(e.body, vars), t.text(e.status, { link: facts.statusLink })].join('\n\n'),
    headers: { [NOTIFICATION_HEADER]: mark.claimId },
  };
}
