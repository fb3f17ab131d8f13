import type { Email } from '../leads/ports.ts';
import type { CampaignProgress, SendAllowance, Settlement } from './ports.ts';
import { Pacer } from './send-allowance.ts';

/**
 * How SES answered a letter it did not take, in the sender's terms (the adapter, shared/adapters/
 * letter-mailer.ts, maps SES's errors to these):
 * - `throttled`: slow down; nothing was sent, the letter is tried again after a backoff;
 * - `transient`: SES failed the request (a 5xx); nothing was sent, tried again a few times;
 * - `unknown_outcome`: no answer came (the connection broke, a timeout): SES may have taken it, so it is
 *   never sent again; the claim stays open until SES's own Send event settles it;
 * - `refused`: SES refused this letter (its address, its content): recorded as failed with SES's code;
 * - `account`: SES refuses the account's letters (sending paused, daily quota spent): nothing was sent,
 *   the claim is released and the campaign pauses, so a resume sends it.
 */
export const SEND_FAILURES = ['throttled', 'transient', 'unknown_outcome', 'refused', 'account'] as const;
export type SendFailureKind = (typeof SEND_FAILURES)[number];

export class SendFailure extends Error {
  override name = 'SendFailure';
  readonly kind: SendFailureKind;
  readonly code: string;
  constructor(kind: SendFailureKind, code: string) {
    super(`SES did not take the letter: ${kind} (${code})`);
    this.kind = kind;
    this.code = code;
  }
}

/** Sends one letter through SES and answers its message id, or throws a SendFailure. */
export interface LetterMail {
  send(email: Email): Promise<string>;
}

export type DeliveryDeps = {
  mail: LetterMail;
  allowance: SendAllowance;
  progress: CampaignProgress;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
};

/** Throttled attempts of one letter before it is left open for the next run; transient ones before it fails. */
const MAX_THROTTLED = 12;
const MAX_TRANSIENT = 3;

/** What became of one claimed letter. */
export type Delivered = 'sent' | 'failed' | 'released' | 'open' | 'account_refused' | 'halted';

/** What a claim becomes once SES answered: sent, failed, or released (nothing was sent). */
export type ClaimSettlement = Extract<Settlement, { status: 'sent' | 'failed' | 'released' }>;

/**
 * SES's answer to one letter: what became of it, what its claim becomes (nothing for an unknown outcome:
 * the claim stays open for SES's Send event) and the throttled attempts it met, to be counted.
 */
export type Answer = { as: Delivered; settlement?: ClaimSettlement; throttled: number };

/**
 * Paces and sends the claimed letters of one run: each waits for its slot at the campaign's rate and for
 * a letter from the account's bucket, then goes to SES. The caller records SES's answers, a group of
 * claims in one write (CampaignProgress.settleClaims).
 */
export class LetterCourier {
  private readonly pacer: Pacer;
  private tokens = 0;
  /** The take from the account's bucket under way: one at a time, the lanes that ran dry wait on it. */
  private taking: Promise<void> | undefined;
  private readonly deps: DeliveryDeps;
  private readonly rate: { campaign: number; account: number };
  /** Letters asked of the account's bucket at a time: a quarter of a second at the campaign's rate. */
  private readonly grant: number;
  /** Set once SES refuses the account: no further letter of this run is tried. */
  accountRefused = false;

  constructor(deps: DeliveryDeps, rate: { campaign: number; account: number }) {
    this.deps = deps;
    this.rate = rate;
    this.pacer = new Pacer(Math.min(rate.campaign, rate.account));
    this.grant = Math.max(1, Math.ceil(rate.campaign / 4));
  }

  /**
   * Sends one claimed letter at its turn. `halted`: whether the campaign was stopped meanwhile, asked once
   * the letter's turn has come, so a claim made before a pause is released unsent rather than sent late.
   */
  async deliver(email: Email, halted: () => Promise<boolean>): Promise<Answer> {
    let throttled = 0;
    let transient = 0;
    // A throttled attempt was no letter: its retry, after the backoff, keeps the campaign's slot it had
    // (the campaign's pace is of letters sent) and takes again from the account's bucket, so the account's
    // rate, which SES counts by the letters it accepts, is never passed.
    let slotKept = false;
    for (;;) {
      if (this.accountRefused) {
        return { as: 'account_refused', settlement: { status: 'released' }, throttled };
      }
      const { ahead } = await this.slot({ paced: !slotKept });
      slotKept = false;
      try {
        if (await halted()) return { as: 'halted', settlement: { status: 'released' }, throttled };
        const messageId = await this.deps.mail.send(email);
        return { as: 'sent', settlement: { status: 'sent', messageId }, throttled };
      } catch (error) {
        if (!(error instanceof SendFailure)) throw error;
        if (error.kind === 'throttled' && ++throttled < MAX_THROTTLED) {
          await this.deps.sleep(backoffMs(throttled));
          slotKept = true;
          continue;
        }
        if (error.kind === 'transient' && ++transient < MAX_TRANSIENT) {
          await this.deps.sleep(backoffMs(transient));
          continue;
        }
        switch (error.kind) {
          case 'unknown_outcome':
            return { as: 'open', throttled };
          case 'account':
            this.accountRefused = true;
            return { as: 'account_refused', settlement: { status: 'released' }, throttled };
          case 'throttled':
            // Still throttled after every backoff: nothing was sent; a later run of the step sends it.
            return { as: 'released', settlement: { status: 'released' }, throttled };
          default:
            return { as: 'failed', settlement: { status: 'failed', reason: error.code }, throttled };
        }
      } finally {
        // A take this letter started for the letters after it ends with the letter, never behind the run;
        // should it fail, the next letter short of one takes again and meets the failure itself.
        await ahead?.catch(() => undefined);
      }
    }
  }

  /**
   * Waits for the letter's slot at the campaign's rate (unless it keeps the one it had), then for a letter
   * from the account's bucket. Answers the take it started for the letters after this one, if any, to be
   * awaited once this letter is sent.
   */
  private async slot({ paced }: { paced: boolean }): Promise<{ ahead?: Promise<void> }> {
    const wait = paced ? this.pacer.reserve(this.deps.now().getTime()) : 0;
    if (wait > 0) await this.deps.sleep(wait);
    while (this.tokens === 0) await this.topUp();
    this.tokens -= 1;
    // The next grant is taken while this one is spent: a take every lane waited for would idle the rate.
    return this.tokens < this.grant && !this.taking ? { ahead: this.topUp() } : {};
  }

  /**
   * One take at a time: lanes that each took on their own raced one another for the bucket's conditional
   * write, and the losers read and wrote it again for letters the winner already held.
   */
  private topUp(): Promise<void> {
    this.taking ??= this.take().finally(() => {
      this.taking = undefined;
    });
    return this.taking;
  }

  private async take(): Promise<void> {
    const { granted, waitMs } = await this.deps.allowance.take(this.grant, this.rate.account);
    this.tokens += granted;
    if (granted === 0) await this.deps.sleep(waitMs);
  }
}

/** Exponential backoff with full jitter, from 50 ms up to 5 s. */
const backoffMs = (attempt: number): number => Math.random() * Math.min(5_000, 50 * 2 ** attempt);
