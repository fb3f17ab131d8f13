import type { Keys } from '../access/keys.ts';
import { type Invitation, readInvitation, signInvitation } from '../leads/invitation.ts';
import type { Locale } from '../templates/locale.ts';
import { escapeHtml, markup, templatesFor } from '../templates/render.ts';

/**
 * A letter's "request a call" link (issue 8, item 8; docs/letters.md, "The response link"): a signed
 * invitation (channel `letter`, the campaign, the prospect, the step) under `<apiUrl>/v1/letters/respond/`.
 * The token is the authority, as a decision link is: it names the prospect whose details the page shows,
 * and the lead it makes is credited to the campaign by the capture path's own attribution.
 */

/** How long a response link holds: a letter is read weeks later, a campaign's follow-up comes after it. */
export const RESPONSE_LINK_DAYS = 90;

export type LetterRecipient = { campaignId: string; prospectId: string; step: number };

/** `<apiUrl>/v1/letters/respond/<token>`, valid for 90 days from `now`; the campaign's send step calls it. */
export async function letterResponseLink(
  keys: Keys,
  apiUrl: string,
  recipient: LetterRecipient,
  now: Date,
): Promise<string> {
  const token = await signInvitation(
    keys,
    { channel: 'letter', ...recipient },
    { issuedAt: now, expiresAt: new Date(now.getTime() + RESPONSE_LINK_DAYS * 86_400_000) },
  );
  return `${apiUrl.replace(/\/+$/, '')}/v1/letters/respond/${token}`;
}

/** The body's "request a call" paragraph, from the template catalogs, in the letter's language. */
export function responseFooter(locale: Locale, url: string): { text: string; html: string } {
  const t = templatesFor(locale);
  const { respond, respondLink } = t.catalog.letterFooter;
  const link = markup(`<a href="${escapeHtml(url)}">${escapeHtml(respondLink)}</a>`);
  return { text: t.text(respond, { link: url }), html: `<p>${t.html(respond, { link })}</p>` };
}

/** A response token's invitation, when it is one a letter carries: ours, unexpired, a letter's, addressed. */
export type LetterResponse = Required<Pick<Invitation, 'campaignId' | 'prospectId'>> & { step?: number };

export async function readLetterResponse(
  keys: Keys,
  token: string,
  now: Date,
): Promise<{ ok: true; response: LetterResponse } | { ok: false; reason: 'invalid' | 'expired' }> {
  if (token.length > 2048) return { ok: false, reason: 'invalid' };
  const read = await readInvitation(keys, token, now);
  if (!read.ok) return { ok: false, reason: read.reason === 'expired' ? 'expired' : 'invalid' };
  const { channel, campaignId, prospectId, step } = read.invitation;
  // An open day's or event's invitation is no letter: it names no prospect whose details to show.
  if (channel !== 'letter' || !prospectId) return { ok: false, reason: 'invalid' };
  return { ok: true, response: { campaignId, prospectId, ...(step !== undefined ? { step } : {}) } };
}
