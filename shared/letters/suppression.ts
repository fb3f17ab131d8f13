import * as z from 'zod';
import type { Keys } from '../access/keys.ts';
import { inLanes } from '../concurrency.ts';
import type { Clients } from '../leads/ports.ts';
import type { Prospect } from '../prospects/prospect.ts';
import type {
  ClaimResult,
  CountedLetters,
  CountedSend,
  SendClaim,
  SendCounter,
  Suppression,
  SuppressionList,
} from './ports.ts';
import { SendingWindow, sendingHoursAt } from './sending-hours.ts';
import { addressHashOf } from './unsubscribe.ts';

/**
 * Send-time suppression (issue 8, item 5; docs/letters.md): whether one recipient gets one step's letter
 * now. `decideSend` is pure, over facts the ports gather; `screenRecipients` gathers them for a page of
 * recipients, decides, and counts each letter that may go out under the frequency cap with a conditional
 * write, so the cap is exact however many sends run at once.
 */

/** Why a recipient gets no letter now, in the order they are checked: the first that applies is recorded. */
export const SKIP_REASONS = [
  'unsubscribed',
  'hard_bounced',
  'complained',
  'existing_client',
  'no_consent',
  'already_sent_this_campaign',
  'frequency_cap',
  'quiet_hours',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** A campaign's rules for who may be written to, and when. */
export const SendPolicy = z.strictObject({
  /** Marketing letters need the prospect's recorded consent (docs/prospects.md, `marketingConsent`). */
  consentRequired: z.boolean(),
  /** At most `letters` letters to one address in any `windowDays` days, over all campaigns. */
  frequencyCap: z.strictObject({ letters: z.int().min(1).max(100), windowDays: z.int().min(1).max(90) }),
  /** Letters go out only while the recipient's clock reads inside this window. */
  sendingWindow: SendingWindow,
});
export type SendPolicy = z.infer<typeof SendPolicy>;

/** The bank's default: consent required, 4 letters in 30 days, 09:00-20:00 the recipient's time. */
export const DEFAULT_SEND_POLICY: SendPolicy = {
  consentRequired: true,
  frequencyCap: { letters: 4, windowDays: 30 },
  sendingWindow: { from: '09:00', until: '20:00' },
};

export type Recipient = Pick<Prospect, 'prospectId' | 'timeZone' | 'marketingConsent'>;

/** Everything the decision needs about one recipient of one step, gathered by the ports. */
export type RecipientFacts = {
  recipient: Recipient;
  /** `<campaignId>#<step>`. */
  sendKey: string;
  /** The address's entry on the suppression list, if it has one. */
  suppression?: Suppression;
  existingClient: boolean;
  /** The letters counted for the address inside the cap's window. */
  sends: readonly CountedSend[];
};

export type SendDecision =
  | { outcome: 'send' }
  | { outcome: 'skip'; reason: Exclude<SkipReason, 'quiet_hours'> }
  /** Not now: the campaign tries again at `retryAt`, when the recipient's sending window opens. */
  | { outcome: 'skip'; reason: 'quiet_hours'; retryAt: string };

export const sendKeyOf = (campaignId: string, step: number) => `${campaignId}#${step}`;

/**
 * The decision for one recipient at `now`. Lasting reasons first (the list, a client, no consent, this
 * step's letter already gone to the address, the cap), then quiet hours, the one that only defers: a
 * recipient who would be skipped anyway is skipped now, with the lasting reason, not retried later.
 */
export function decideSend(facts: RecipientFacts, policy: SendPolicy, now: Date): SendDecision {
  const { recipient, sendKey, suppression } = facts;
  if (suppression) return { outcome: 'skip', reason: suppression.latest.reason };
  if (facts.existingClient) return { outcome: 'skip', reason: 'existing_client' };
  if (policy.consentRequired && !recipient.marketingConsent.granted) {
    return { outcome: 'skip', reason: 'no_consent' };
  }
  const since = Date.parse(windowStart(policy, now));
  const inWindow = facts.sends.filter((s) => Date.parse(s.at) > since);
  const thisStep = inWindow.find((s) => s.sendKey === sendKey);
  if (thisStep && thisStep.prospectId !== recipient.prospectId) {
    return { outcome: 'skip', reason: 'already_sent_this_campaign' };
  }
  // This recipient's own earlier claim (a redelivered page) is not another letter.
  if (!thisStep && inWindow.length >= policy.frequencyCap.letters) {
    return { outcome: 'skip', reason: 'frequency_cap' };
  }
  const hours = sendingHoursAt(policy.sendingWindow, recipient.timeZone, now);
  if (!hours.open) return { outcome: 'skip', reason: 'quiet_hours', retryAt: hours.opensAt.toISOString() };
  return { outcome: 'send' };
}

/** The start of the cap's rolling window that ends at `now`. */
export const windowStart = (policy: SendPolicy, now: Date): string =>
  new Date(now.getTime() - policy.frequencyCap.windowDays * 86_400_000).toISOString();

export type SuppressionDeps = {
  keys: Keys;
  suppressions: SuppressionList;
  sendCounter: SendCounter;
  clients: Pick<Clients, 'clientsAmong'>;
};

/** Later recipients of a page's addresses screened at once: each claims alone, reading its count again. */
const SCREENING_LANES = 16;

export type ScreenedRecipient = { prospectId: string; addressHash: string; decision: SendDecision };

/**
 * Screens a page of one step's recipients, in order. The page's suppression entries, clients and counted
 * letters are read in one batch each. The first recipient of each address decides on them, and those the
 * rules let through have their letters counted under the cap together (SendCounter.claimAll), each write
 * conditioned on the count the page read, before the answer is `send`; a refused count is a skip with the
 * counter's reason. Two recipients with one address get one letter: the second, after the first, reads the
 * count again and finds the first's letter.
 */
export async function screenRecipients(
  deps: SuppressionDeps,
  step: { campaignId: string; step: number; policy: SendPolicy },
  page: readonly Pick<Prospect, 'prospectId' | 'timeZone' | 'marketingConsent' | 'company' | 'contact'>[],
  now: Date,
): Promise<ScreenedRecipient[]> {
  const policy = SendPolicy.parse(step.policy);
  const sendKey = sendKeyOf(step.campaignId, step.step);
  const hashes = page.map((p) => addressHashOf(deps.keys, p.contact.email));
  const [suppressed, clients, counted] = await Promise.all([
    deps.suppressions.find(hashes),
    deps.clients.clientsAmong([...new Set(page.map((p) => p.company.inn))]),
    deps.sendCounter.counts(hashes),
  ]);
  const factsOf = (i: number, sends: readonly CountedSend[]): RecipientFacts => {
    const suppression = suppressed.get(hashes[i] as string);
    const recipient = page[i] as (typeof page)[number];
    return {
      recipient,
      sendKey,
      ...(suppression ? { suppression } : {}),
      existingClient: clients.has(recipient.company.inn),
      sends,
    };
  };
  const claimOf = (i: number): SendClaim => ({
    addressHash: hashes[i] as string,
    sendKey,
    prospectId: (page[i] as (typeof page)[number]).prospectId,
    at: now.toISOString(),
    cap: policy.frequencyCap.letters,
    windowDays: policy.frequencyCap.windowDays,
  });
  const decisions = new Array<SendDecision>(page.length);
  const byAddress = new Map<string, number[]>();
  for (const [i, hash] of hashes.entries()) byAddress.set(hash, [...(byAddress.get(hash) ?? []), i]);

  // Each address's first recipient, on the page's read: the letters that may go are counted together.
  const toClaim: { i: number; read: CountedLetters }[] = [];
  for (const [hash, [i]] of byAddress) {
    if (i === undefined) continue;
    const read = counted.get(hash) ?? { sends: [], version: 0 };
    decisions[i] = decideSend(factsOf(i, read.sends), policy, now);
    if (decisions[i].outcome === 'send') toClaim.push({ i, read });
  }
  const claims = await deps.sendCounter.claimAll(toClaim.map(({ i, read }) => ({ claim: claimOf(i), read })));
  for (const [n, { i }] of toClaim.entries()) {
    const claim = claims[n] as ClaimResult;
    if (!claim.claimed) decisions[i] = skipOf(claim);
  }

  // A later recipient of an address, after the one before: it decides without the count (its claim reads
  // it again), but reads it first when quiet hours would defer one whom the cap or a letter may skip.
  const screenLater = async (i: number): Promise<SendDecision> => {
    const facts = factsOf(i, []);
    let decision = decideSend(facts, policy, now);
    if (decision.outcome === 'skip' && decision.reason === 'quiet_hours') {
      const sends = await deps.sendCounter.sends(hashes[i] as string, windowStart(policy, now));
      decision = decideSend({ ...facts, sends }, policy, now);
    }
    if (decision.outcome !== 'send') return decision;
    const claim = await deps.sendCounter.claim(claimOf(i));
    return claim.claimed ? decision : skipOf(claim);
  };
  await inLanes(
    [...byAddress.values()].map((group) => async () => {
      for (const i of group.slice(1)) decisions[i] = await screenLater(i);
    }),
    SCREENING_LANES,
  );
  return page.map((p, i) => ({
    prospectId: p.prospectId,
    addressHash: hashes[i] as string,
    decision: decisions[i] as SendDecision,
  }));
}

const skipOf = (claim: Extract<ClaimResult, { claimed: false }>): SendDecision => ({
  outcome: 'skip',
  reason: claim.reason,
});
