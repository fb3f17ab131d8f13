import type { Keys } from '../access/keys.ts';
import { type FieldIssue, formatIssues } from '../leads/lead-submission.ts';
import { addressHashOf } from '../letters/unsubscribe.ts';
import { type ConsentText, consentTextOf } from './consent-text.ts';
import type { ConsentHistory, ConsentTexts, HistoryPage } from './ports.ts';
import { type Withdrawal, type WithdrawalScope, type WithdrawDeps, withdrawConsent } from './withdraw.ts';

/**
 * What compliance officers do with consents (docs/consents.md): publish a text, withdraw a person's
 * consent on their behalf, read a person's history. A person is named by email and found by its keyed
 * hash: the address is hashed here and goes no further.
 */
export type ConsentDeps = WithdrawDeps & {
  texts: ConsentTexts;
  history: ConsentHistory;
  keys: Keys;
};

export type Published =
  | { kind: 'published'; text: ConsentText }
  | { kind: 'invalid'; issues: FieldIssue[] }
  | { kind: 'exists' };

/** Publishes a text once; its version id, once taken, names that wording for good. */
export async function publishConsentText(deps: ConsentDeps, by: string, body: unknown): Promise<Published> {
  const made = consentTextOf(body, by, deps.now());
  if (!made.ok) return { kind: 'invalid', issues: formatIssues(made.error) };
  const stored = await deps.texts.publish(made.text);
  return stored.outcome === 'published' ? { kind: 'published', text: stored.text } : { kind: 'exists' };
}

/** A withdrawal a compliance officer records on a person's behalf: effective at once for sending. */
export const withdrawOnBehalf = (
  deps: ConsentDeps,
  by: string,
  request: { email: string; purpose: WithdrawalScope },
): Promise<Withdrawal> =>
  withdrawConsent(deps, {
    emailHash: addressHashOf(deps.keys, request.email),
    scope: request.purpose,
    channel: 'compliance_officer',
    client: {},
    by,
  });

/** A person's consents, newest first. */
export const consentHistoryOf = (
  deps: ConsentDeps,
  email: string,
  page: { limit: number; after?: string },
): Promise<HistoryPage> => deps.history.history(addressHashOf(deps.keys, email), page);
