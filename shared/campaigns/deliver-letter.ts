import type { Email } from '../leads/ports.ts';
import type { CampaignProgress, RecordKey, SendAllowance, Settlement } from './ports.ts';
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
export type Delivered = 'sent' | 'failed' | 'released' | 'open' | 'account_refused';

/**
 * Paces and sends the claimed letters of one run: each waits for its slot at the campaign's rate and for
 * a letter from the account's bucket, then goes to SES; SES's answer resolves its claim, once.
 */
export class LetterCourier {
  private readonly pacer: Pacer;
  private tokens = 0;
  private readonly deps: DeliveryDeps;
  private readonly rate: { campaign: number; account: number };
  /** Set once SES refuses the account: no further letter of this run is tried. */
  accountRefused = false;

  constructor(deps: DeliveryDeps, rate: { campaign: number; account: number }) {
    this.deps = deps;
    this.rate = rate;
    this.pacer = new Pacer(Math.min(rate.campaign, rate.account));
  }

  async deliver(claim: RecordKey, email: Email): Promise<Delivered> {
    const { campaignId, step } = claim;
    let throttled = 0;
    let transient = 0;
    for (;;) {
      if (this.accountRefused) return this.settle(claim, { status: 'released' }, 'account_refused');
      await this.slot();
      try {
        const messageId = await this.deps.mail.send(email);
        if (throttled) await this.deps.progress.countThrottled(campaignId, step, throttled);
        return this.settle(claim, { status: 'sent', messageId });
      } catch (error) {
        if (!(error instanceof SendFailure)) throw error;
        if (error.kind === 'throttled' && ++throttled < MAX_THROTTLED) {
          await this.deps.sleep(backoffMs(throttled));
          continue;
        }
        if (error.kind === 'transient' && ++transient < MAX_TRANSIENT) {
          await this.deps.sleep(backoffMs(transient));
          continue;
        }
        if (throttled) await this.deps.progress.countThrottled(campaignId, step, throttled);
        switch (error.kind) {
          case 'unknown_outcome':
            return 'open';
          case 'account':
            this.accountRefused = true;
            return this.settle(claim, { status: 'released' }, 'account_refused');
          case 'throttled':
            // Still throttled after every backoff: nothing was sent; a later run of the step sends it.
            return this.settle(claim, { status: 'released' });
          default:
            return this.settle(claim, { status: 'failed', reason: error.code });
        }
      }
    }
  }

  private async settle(
    claim: RecordKey,
    settlement: Extract<Settlement, { status: 'sent' | 'failed' | 'released' }>,
    as?: Delivered,
  ): Promise<Delivered> {
    await this.deps.progress.settle(claim, 'claimed', settlement, this.deps.now().toISOString());
    return as ?? settlement.status;
  }

  /** Waits for the letter's slot at the campaign's rate, then for a letter from the account's bucket. */
  private async slot(): Promise<void> {
    const wait = this.pacer.reserve(this.deps.now().getTime());
    if (wait > 0) await this.deps.sleep(wait);
    while (this.tokens === 0) {
      const { granted, waitMs } = await this.deps.allowance.take(
        Math.max(1, Math.ceil(this.rate.campaign / 4)),
        this.rate.account,
      );
      this.tokens += granted;
      if (granted === 0) await this.deps.sleep(waitMs);
    }
    this.tokens -= 1;
  }
}

/** Exponential backoff with full jitter, from 50 ms up to 5 s. */
const backoffMs = (attempt: number): number => Math.random() * Math.min(5_000, 50 * 2 ** attempt);
