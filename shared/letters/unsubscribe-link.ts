import type { Keys } from '../access/keys.ts';
import type { Locale } from '../templates/locale.ts';
import type { SuppressionList } from './ports.ts';
import { readUnsubscribeToken } from './unsubscribe.ts';

/**
 * The unsubscribe link of a letter (docs/letters.md, "The routes"). Opening it (GET) only asks: link
 * scanners fetch GETs, and unsubscribing must be the reader's act. The one-click POST (RFC 8058, or the
 * page's button, which posts the same form) puts the token's address on the suppression list at once,
 * `unsubscribed`, marked with the campaign and step: the very next send skips it. A forged or altered
 * token changes nothing, and the page never says which check failed.
 */
export type UnsubscribeDeps = {
  keys: Keys;
  suppressions: Pick<SuppressionList, 'suppress'>;
  now: () => Date;
};

/** What the link's page shows; the token names no language, so it is the reader's. */
export type UnsubscribePage =
  | { kind: 'question'; locale: Locale; oneClickMissing?: boolean }
  | { kind: 'done'; locale: Locale }
  | { kind: 'refused'; locale: Locale };

/** GET: the question and its button, changing nothing; or that the link is not valid. */
export async function openUnsubscribeLink(
  deps: UnsubscribeDeps,
  token: string,
  locale: Locale,
): Promise<UnsubscribePage> {
  const read = await readUnsubscribeToken(deps.keys, token);
  return read.ok ? { kind: 'question', locale } : { kind: 'refused', locale };
}

/** POST with `List-Unsubscribe=One-Click`: suppressed now; a repeat is the same, harmless mark. */
export async function unsubscribeByLink(
  deps: UnsubscribeDeps,
  token: string,
  form: { oneClick: boolean },
  locale: Locale,
): Promise<UnsubscribePage> {
  const read = await readUnsubscribeToken(deps.keys, token);
  if (!read.ok) return { kind: 'refused', locale };
  if (!form.oneClick) return { kind: 'question', locale, oneClickMissing: true };
  const { addressHash, campaignId, step } = read.request;
  await deps.suppressions.suppress(addressHash, {
    reason: 'unsubscribed',
    at: deps.now().toISOString(),
    source: `${campaignId}#${step}`,
  });
  return { kind: 'done', locale };
}
