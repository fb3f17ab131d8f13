import { PRODUCTS } from '../leads/lead-submission.ts';
import { htmlDocument } from '../templates/email.ts';
import { escapeHtml, markup, type Templates, templatesFor } from '../templates/render.ts';
import type { ResponseForm, ResponsePage } from './respond-to-letter.ts';
import type { UnsubscribePage } from './unsubscribe-link.ts';

/**
 * The HTML a letter's links answer with, in the page's language, every text from the catalogs and every
 * value escaped. Forms post back to the link itself (no action: it works behind any domain).
 */
type Rendered = { status: 200 | 400 | 403 | 429; html: string };

const paragraph = (text: string) => `<p>${escapeHtml(text)}</p>`;

export function renderUnsubscribePage(page: UnsubscribePage): Rendered {
  const t = templatesFor(page.locale);
  const p = t.catalog.unsubscribePage;
  const title = `<h1>${escapeHtml(p.title)}</h1>`;
  if (page.kind === 'refused') return { status: 403, html: htmlDocument(page.locale, paragraph(p.invalid)) };
  if (page.kind === 'done')
    return { status: 200, html: htmlDocument(page.locale, `${title}\n${paragraph(p.done)}`) };
  const body = [
    title,
    paragraph(p.question),
    '<form method="post">',
    // The same body a mail provider's one-click POST sends (RFC 8058).
    '<input type="hidden" name="List-Unsubscribe" value="One-Click">',
    `<button type="submit">${escapeHtml(p.button)}</button>`,
    '</form>',
  ].join('\n');
  return { status: page.oneClickMissing ? 400 : 200, html: htmlDocument(page.locale, body) };
}

/** Which input shows an issue of the submission, by its field path. */
const FIELD_OF_PATH: Record<string, keyof ResponseForm> = {
  'company.name': 'companyName',
  'company.inn': 'inn',
  'contact.name': 'contactName',
  'contact.email': 'email',
  'contact.phone': 'phone',
  products: 'products',
  message: 'message',
  consents: 'consent',
};
const fieldOf = (path: string): keyof ResponseForm | undefined =>
  FIELD_OF_PATH[path] ?? FIELD_OF_PATH[path.split('.')[0] ?? ''];

const INPUTS = [
  ['companyName', 'text', 'maxlength="300" required'],
  ['inn', 'text', 'inputmode="numeric" maxlength="12" required'],
  ['contactName', 'text', 'maxlength="200" required'],
  ['email', 'email', 'maxlength="254" required'],
  ['phone', 'tel', 'maxlength="16"'],
] as const;

function responseForm(t: Templates, page: Extract<ResponsePage, { kind: 'form' }>): string {
  const p = t.catalog.letterResponse;
  const invalid = new Set((page.issues ?? []).map((i) => fieldOf(i.path)));
  const flag = (field: keyof ResponseForm) => (invalid.has(field) ? ' aria-invalid="true"' : '');
  const errors = page.issues?.length
    ? [
        `<div role="alert"><p><strong>${escapeHtml(p.errors)}</strong></p><ul>`,
        ...page.issues.map((issue) => {
          const field = fieldOf(issue.path);
          const label = field === 'consent' ? p.consentField : field ? p[field] : p.otherField;
          const text = t.text(p.fieldError, { field: label });
          return `<li data-path="${escapeHtml(issue.path)}">${escapeHtml(text)}</li>`;
        }),
        '</ul></div>',
      ]
    : [];
  const inputs = INPUTS.map(
    ([name, type, extra]) =>
      `<p><label>${escapeHtml(p[name])}<br><input type="${type}" name="${name}" value="${escapeHtml(page.form[name])}" ${extra}${flag(name)}></label></p>`,
  );
  const products = PRODUCTS.map(
    (product) =>
      `<label><input type="checkbox" name="products" value="${product}"${page.form.products.includes(product) ? ' checked' : ''}> ${escapeHtml(t.catalog.labels.product[product])}</label><br>`,
  );
  const unsubscribe = page.unsubscribeToken
    ? // Relative to /v1/letters/respond/<token>: the API's own unsubscribe page, behind any domain.
      `<p>${t.html(p.unsubscribe, { link: markup(`<a href="../../unsubscribe/${escapeHtml(page.unsubscribeToken)}">${escapeHtml(p.unsubscribeLink)}</a>`) })}</p>`
    : '';
  return [
    `<h1>${escapeHtml(p.title)}</h1>`,
    paragraph(p.intro),
    ...errors,
    '<form method="post">',
    ...inputs,
    `<fieldset${flag('products')}><legend>${escapeHtml(p.products)}</legend>`,
    ...products,
    '</fieldset>',
    `<p><label>${escapeHtml(p.message)}<br><textarea name="message" maxlength="4000" rows="4" cols="50"${flag('message')}>${escapeHtml(page.form.message)}</textarea></label></p>`,
    `<p><label><input type="checkbox" name="consent" value="on" required${page.form.consent ? ' checked' : ''}${flag('consent')}> ${escapeHtml(p.consent)}</label></p>`,
    `<button type="submit">${escapeHtml(p.button)}</button>`,
    '</form>',
    unsubscribe,
  ]
    .filter(Boolean)
    .join('\n');
}

export function renderResponsePage(page: ResponsePage): Rendered {
  const t = templatesFor(page.locale);
  const p = t.catalog.letterResponse;
  switch (page.kind) {
    case 'refused':
      return { status: 403, html: htmlDocument(page.locale, paragraph(p.refused[page.reason])) };
    case 'busy':
      return {
        status: 429,
        html: htmlDocument(
          page.locale,
          paragraph(page.reason === 'rate_limited' ? p.rateLimited : p.enquiryLimit),
        ),
      };
    case 'done':
      return {
        status: 200,
        html: htmlDocument(page.locale, `<h1>${escapeHtml(p.title)}</h1>\n${paragraph(p.done)}`),
      };
    case 'form':
      return {
        status: page.issues?.length ? 400 : 200,
        html: htmlDocument(page.locale, responseForm(t, page)),
      };
  }
}
