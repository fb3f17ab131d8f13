import { htmlDocument, paragraph } from '../templates/email.ts';
import { escapeHtml, templatesFor } from '../templates/render.ts';
import type { WithdrawalPage } from './withdrawal-link.ts';

/**
 * The HTML a withdrawal link answers with, in the reader's language, every text from the catalogs. The
 * button posts the one-click body back to the link itself (no action: it works behind any domain).
 */
export function renderWithdrawalPage(page: WithdrawalPage): { status: 200 | 400 | 403; html: string } {
  const t = templatesFor(page.locale);
  const p = t.catalog.consentWithdrawalPage;
  if (page.kind === 'refused') return { status: 403, html: htmlDocument(page.locale, paragraph(p.invalid)) };
  const title = `<h1>${escapeHtml(p.title)}</h1>`;
  if (page.kind === 'done') {
    const purposes = [...page.withdrawal.withdrawn, ...page.withdrawal.alreadyWithdrawn];
    const body = [
      title,
      paragraph(t.text(p.done, { date: t.dateTime(page.withdrawal.at) })),
      purposes.includes('personal_data_processing') ? paragraph(p.personalData) : '',
    ];
    return { status: 200, html: htmlDocument(page.locale, body.filter(Boolean).join('\n')) };
  }
  const body = [
    title,
    paragraph(p.question[page.scope]),
    '<form method="post">',
    // The same body a mail provider's one-click POST sends (RFC 8058).
    '<input type="hidden" name="List-Unsubscribe" value="One-Click">',
    `<button type="submit">${escapeHtml(p.button)}</button>`,
    '</form>',
  ].join('\n');
  return { status: page.oneClickMissing ? 400 : 200, html: htmlDocument(page.locale, body) };
}
