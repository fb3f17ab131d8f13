import { GetAccountCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { SendFailure, type SendFailureKind } from '../campaigns/deliver-letter.ts';
import type { Email } from '../leads/ports.ts';
import { Mailer } from './mailer.ts';

/** SES's refusals of the account rather than of the letter: nothing more goes until a person acts. */
const ACCOUNT_REFUSALS = new Set([
  'AccountSuspendedException',
  'SendingPausedException',
  'LimitExceededException',
]);
const THROTTLES = new Set(['TooManyRequestsException', 'Throttling', 'ThrottlingException']);

/** What an SDK error from SendEmail means for the letter (shared/campaigns/deliver-letter.ts). */
export function sendFailureOf(error: unknown): SendFailure {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  let kind: SendFailureKind;
  if (/daily message quota/i.test(e.message ?? '')) kind = 'account';
  else if (THROTTLES.has(name) || status === 429) kind = 'throttled';
  else if (ACCOUNT_REFUSALS.has(name)) kind = 'account';
  else if (status === undefined) kind = 'unknown_outcome';
  else if (status >= 500) kind = 'transient';
  else kind = 'refused';
  return new SendFailure(kind, name);
}

/**
 * Sends campaign letters through SES v2, each SES error told apart for the sender: the SDK's own retries are
 * off for this client (shared/clients/ses.ts), so every throttled attempt is seen, counted and paced.
 */
export class LetterMailer {
  private readonly mailer: Mailer;

  constructor(client: SESv2Client, from: string, configurationSet?: string) {
    this.mailer = new Mailer(client, from, configurationSet);
  }

  async send(email: Email): Promise<string> {
    try {
      return await this.mailer.send(email);
    } catch (error) {
      throw sendFailureOf(error);
    }
  }
}

/** The account's sending rate as SES reports it, asked once a minute at most. */
export class SesSendingQuota {
  private readonly client: SESv2Client;
  private known?: { rate: number; at: number };

  constructor(client: SESv2Client) {
    this.client = client;
  }

  async maxSendRate(): Promise<number> {
    if (this.known && Date.now() - this.known.at < 60_000) return this.known.rate;
    const account = await this.client.send(new GetAccountCommand({}));
    const rate = account.SendQuota?.MaxSendRate;
    if (!rate || rate <= 0) throw new Error('SES reported no sending rate for the account');
    this.known = { rate, at: Date.now() };
    return rate;
  }
}
