import type { Keys } from '../access/keys.ts';
import type { EvidenceClient } from '../consents/evidence.ts';
import { type WithdrawDeps, withdrawConsent } from '../consents/withdraw.ts';
import type { Locale } from '../templates/locale.ts';
import { readUnsubscribeToken } from './unsubscribe.ts';

/**
 * The unsubscribe link of a letter (docs/letters.md, "The routes"). Opening it (GET) only asks: link
 * scanners fetch GETs, and unsubscribing must be the reader's act. The one-click POST (RFC 8058, or the
 * page's button, which posts the same form) is a withdrawal of marketing consent, through the one way
 * every withdrawal takes (shared/consents/withdraw.ts): the token's address goes on the suppression list at
 * once, `unsubscribed`, marked with the campaign and step, so the very next send skips it; then the
 * withdrawal is recorded in the person's consent history, once however often it is pressed. A forged or
 * altered token changes nothing, and the page never says which check failed.
 */
export type UnsubscribeDeps = WithdrawDeps & { keys: Keys };

/** What the link's page shows; the token names no language, so it is the reader's. */
export type UnsubscribePage =
  | { kind: 'question'; locale: Locale; oneClickMissing?: boolean }
  | { kind: 'done'; locale: Locale }
  | { kind: 'refused'; locale: Locale };

/** GET: the question and its button, changing nothing; or that the link is not valid. */
export async function openUnsubscribeLink(
  deps: Pick<UnsubscribeDeps, 'keys'>,
  token: string,
  locale: Locale,
): Promise<UnsubscribePage> {
  const read = await readUnsubscribeToken(deps.keys, token);
  return read.ok ? { kind: 'question', locale } : { kind: 'refused', locale };
}

/**
 * POST with `List-Unsubscribe=One-Click`: marketing withdrawn now, with the client's address and user
 * agent; a repeat marks the list again, harmlessly, and records nothing new.
 */
export async function unsubscribeByLink(
  deps: UnsubscribeDeps,
  token: string,
  request: { oneClick: boolean; client: EvidenceClient },
  locale: Locale,
): Promise<UnsubscribePage> {
  const read = await readUnsubscribeToken(deps.keys, token);
  if (!read.ok) return { kind: 'refused', locale };
  if (!request.oneClick) return { kind: 'question', locale, oneClickMissing: true };
  const { addressHash, campaignId, step } = read.request;
  await withdrawConsent(deps, {
    emailHash: addressHash,
    scope: 'marketing',
    channel: 'letter_unsubscribe',
    client: request.client,
    letter: { campaignId, step },
  });
  return { kind: 'done', locale };
}
