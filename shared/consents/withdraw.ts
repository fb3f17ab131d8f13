import type { SuppressionList } from '../letters/ports.ts';
import { CONSENT_PURPOSES, type ConsentPurpose } from './consent-text.ts';
import type { ConsentEvidence, EvidenceAction, EvidenceClient, WithdrawalChannel } from './evidence.ts';
import type { ConsentHistory } from './ports.ts';

/**
 * Withdrawal of consent (docs/consents.md, "Withdrawal"): at any time, by the person through a signed link
 * or a letter's unsubscribe link, or by a compliance officer on their behalf: one way for all three. A
 * withdrawal of marketing (or of everything) puts the address on the letters' suppression list first, as
 * `unsubscribed`, the reason the send-time screening already skips on: the very next send skips it. It is
 * then recorded in the person's history. What the bank must do with the data once personal-data consent
 * is withdrawn (erasure, or the legal grounds to keep it) is a later issue's: here the withdrawal is
 * recorded, and nothing else changes.
 */

/** What may be withdrawn: one purpose, or every consent at once. */
export const WITHDRAWAL_SCOPES = [...CONSENT_PURPOSES, 'all'] as const;
export type WithdrawalScope = (typeof WITHDRAWAL_SCOPES)[number];

export type WithdrawDeps = {
  history: Pick<ConsentHistory, 'record' | 'history'>;
  suppressions: Pick<SuppressionList, 'suppress'>;
  now: () => Date;
  newId: () => string;
};

export type WithdrawalRequest = {
  emailHash: string;
  scope: WithdrawalScope;
  channel: WithdrawalChannel;
  client: EvidenceClient;
  /**
   * The letter whose unsubscribe link it came through: the suppression's mark names it
   * (`<campaignId>#<step>`), as a letter's unsubscribe always has, and so do the records.
   */
  letter?: { campaignId: string; step: number };
  /** The compliance officer who recorded it. */
  by?: string;
};

export type Withdrawal = {
  at: string;
  /** The purposes withdrawn now. */
  withdrawn: ConsentPurpose[];
  /** The purposes the history already shows withdrawn (a repeated click, a retried request): not recorded again. */
  alreadyWithdrawn: ConsentPurpose[];
  /** Whether the address is on the suppression list for it. */
  suppressed: boolean;
};

export const purposesOf = (scope: WithdrawalScope): ConsentPurpose[] =>
  scope === 'all' ? [...CONSENT_PURPOSES] : [scope];

/** Pages of history read at most to find each purpose's latest record; a longer history is rare. */
const MAX_HISTORY_PAGES = 20;

/** Each purpose's latest action in the person's history, newest first until every purpose is known. */
async function latestActions(
  history: WithdrawDeps['history'],
  emailHash: string,
  purposes: readonly ConsentPurpose[],
): Promise<Map<ConsentPurpose, EvidenceAction>> {
  const latest = new Map<ConsentPurpose, EvidenceAction>();
  let after: string | undefined;
  for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
    const read = await history.history(emailHash, { limit: 100, ...(after ? { after } : {}) });
    for (const e of read.entries) if (!latest.has(e.purpose)) latest.set(e.purpose, e.action);
    if (!read.next || purposes.every((p) => latest.has(p))) break;
    after = read.next;
  }
  return latest;
}

/**
 * Withdraws the scope's consents: the suppression first (effective at once for sending, and idempotent),
 * then one record per purpose not withdrawn already. Retried after a crash in between, it records what
 * is missing; repeated, it records nothing new.
 */
export async function withdrawConsent(deps: WithdrawDeps, request: WithdrawalRequest): Promise<Withdrawal> {
  const at = deps.now().toISOString();
  const withdrawalId = deps.newId();
  const purposes = purposesOf(request.scope);
  const suppressed = purposes.includes('marketing');
  const { letter } = request;
  if (suppressed) {
    await deps.suppressions.suppress(request.emailHash, {
      reason: 'unsubscribed',
      at,
      source: letter ? `${letter.campaignId}#${letter.step}` : `consent_withdrawal#${withdrawalId}`,
    });
  }
  const latest = await latestActions(deps.history, request.emailHash, purposes);
  const withdrawn = purposes.filter((p) => latest.get(p) !== 'withdrawn');
  const records: ConsentEvidence[] = withdrawn.map((purpose) => ({
    evidenceId: `${withdrawalId}:${purpose}`,
    emailHash: request.emailHash,
    action: 'withdrawn',
    purpose,
    at,
    channel: request.channel,
    client: request.client,
    subject: letter ? { campaignId: letter.campaignId, step: letter.step } : {},
    ...(request.by ? { by: request.by } : {}),
  }));
  if (records.length > 0) await deps.history.record(records);
  return { at, withdrawn, alreadyWithdrawn: purposes.filter((p) => !withdrawn.includes(p)), suppressed };
}
