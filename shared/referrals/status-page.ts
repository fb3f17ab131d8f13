import type { Keys } from '../access/keys.ts';
import { htmlDocument, paragraph } from '../templates/email.ts';
import type { Locale } from '../templates/locale.ts';
import { escapeHtml, templatesFor } from '../templates/render.ts';
import type { ReferralBook } from './ports.ts';
import { type ReferralStatus, referralStatus } from './referral.ts';
import { readStatusToken } from './status-link.ts';

/**
 * What a referrer's signed link shows: the client's name, and per referred company its name and status,
 * nothing else of it. A conversion shows only when the referred company agreed to its referrer being told;
 * until then its status stays what it was before.
 */
export type StatusPage =
  | {
      kind: 'page';
      locale: Locale;
      clientName: string;
      rows: { companyName: string; status: ReferralStatus }[];
    }
  | { kind: 'refused'; locale: Locale };

export async function openStatusPage(
  deps: { book: Pick<ReferralBook, 'codeOfClient' | 'referralsOf'>; keys: Keys; now: () => Date },
  token: string,
  locale: Locale,
): Promise<StatusPage> {
  const clientId = await readStatusToken(deps.keys, token, deps.now());
  const code = clientId ? await deps.book.codeOfClient(clientId) : undefined;
  if (!clientId || !code) return { kind: 'refused', locale };
  const referrals = await deps.book.referralsOf(clientId);
  const rows = referrals.map((referral) => {
    const status = referralStatus(referral);
    const told = status !== 'converted' || referral.disclosureAgreed ? status : 'referred';
    return { companyName: referral.companyName, status: told };
  });
  return { kind: 'page', locale, clientName: code.name, rows };
}

/** The page in the reader's language, every text from the catalogs, every name escaped. */
export function renderStatusPage(page: StatusPage): { status: 200 | 403; html: string } {
  const t = templatesFor(page.locale);
  const p = t.catalog.referralStatusPage;
  if (page.kind === 'refused') return { status: 403, html: htmlDocument(page.locale, paragraph(p.invalid)) };
  const rows = page.rows.map(
    (row) => `<tr><td>${escapeHtml(row.companyName)}</td><td>${escapeHtml(p.status[row.status])}</td></tr>`,
  );
  const body = [
    `<h1>${escapeHtml(p.title)}</h1>`,
    paragraph(t.text(p.intro, { client: page.clientName })),
    rows.length
      ? `<table><tr><th>${escapeHtml(p.company)}</th><th>${escapeHtml(p.state)}</th></tr>\n${rows.join('\n')}</table>`
      : paragraph(p.none),
  ];
  return { status: 200, html: htmlDocument(page.locale, body.join('\n')) };
}
