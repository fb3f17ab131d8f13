import { outcomesConfig } from '../managers/outcomes.ts';
import { htmlDocument } from '../templates/email.ts';
import { escapeHtml, templatesFor } from '../templates/render.ts';
import type { DecisionPage } from './answer-by-link.ts';

/**
 * The HTML a decision link answers with, in the manager's language, every text from the catalogs and
 * every value escaped. The form posts back to the link itself (relative, so it works behind any domain).
 */
export function renderDecisionPage(page: DecisionPage): {
  status: 200 | 400 | 403 | 404 | 409;
  html: string;
} {
  const t = templatesFor(page.locale);
  const p = t.catalog.decisionPage;
  if (page.kind === 'refused') {
    return {
      status: page.status,
      html: htmlDocument(page.locale, `<p>${escapeHtml(p.refused[page.reason])}</p>`),
    };
  }
  const title = `<h1>${escapeHtml(t.text(p.title, { company: page.company }))}</h1>`;
  if (page.kind === 'done') {
    const done = page.action === 'accept' ? p.done.accepted : p.done.declined;
    return {
      status: 200,
      html: htmlDocument(
        page.locale,
        `${title}\n<p>${escapeHtml(t.text(done, { company: page.company }))}</p>`,
      ),
    };
  }
  const question = page.action === 'accept' ? p.accept.question : p.decline.question;
  const fields =
    page.action === 'accept'
      ? ''
      : [
          page.reasonMissing
            ? `<p role="alert"><strong>${escapeHtml(p.decline.reasonMissing)}</strong></p>`
            : '',
          `<fieldset><legend>${escapeHtml(p.decline.reason)}</legend>`,
          ...outcomesConfig.declineReasons.map(
            (r) =>
              `<label><input type="radio" name="reasonCode" value="${escapeHtml(r.code)}" required> ${escapeHtml(r.label[page.locale])}</label><br>`,
          ),
          '</fieldset>',
          `<p><label>${escapeHtml(p.decline.note)}<br><textarea name="note" maxlength="2000" rows="3" cols="50"></textarea></label></p>`,
        ].join('\n');
  const button = page.action === 'accept' ? p.accept.button : p.decline.button;
  const body = [
    title,
    `<p>${escapeHtml(t.text(question, { company: page.company }))}</p>`,
    `<p>${escapeHtml(t.text(p.dueAt, { dueAt: t.dateTime(page.dueAt, page.timeZone) }))}</p>`,
    `<form method="post">`,
    fields,
    `<button type="submit">${escapeHtml(button)}</button>`,
    '</form>',
  ].join('\n');
  return { status: page.reasonMissing ? 400 : 200, html: htmlDocument(page.locale, body) };
}
