import { SES_EVENT_TYPES, type SesEventType } from '#events/ses-events.ts';

/**
 * What SES would publish about one accepted letter: a Send, then per recipient what its mailbox did. The
 * mailbox simulator's addresses (with or without a `+label`) behave as SES documents them; every other
 * address is delivered. The records follow the event publishing examples (events/samples/ses/).
 */
export const SIMULATOR_DOMAIN = 'simulator.amazonses.com';

type Outcome = 'delivered' | 'bounced' | 'complained' | 'suppressed';

const SIMULATED: Record<string, Outcome> = {
  success: 'delivered',
  ooto: 'delivered',
  bounce: 'bounced',
  complaint: 'complained',
  suppressionlist: 'suppressed',
};

/** The bare address of `Name <address>`, lower-cased. */
export const bareAddress = (value: string): string =>
  (/<([^>]+)>/.exec(value)?.[1] ?? value).trim().toLowerCase();

export const isSimulatorAddress = (address: string): boolean =>
  bareAddress(address).endsWith(`@${SIMULATOR_DOMAIN}`);

/** An address's fate: a simulator address's by its local part (before any `+label`), else delivered. */
function outcomeOf(address: string): Outcome {
  const bare = bareAddress(address);
  if (!bare.endsWith(`@${SIMULATOR_DOMAIN}`)) return 'delivered';
  return SIMULATED[bare.slice(0, bare.indexOf('@')).split('+')[0] ?? ''] ?? 'delivered';
}

/** An accepted letter as the events describe it. */
export type AcceptedLetter = {
  messageId: string;
  at: Date;
  /** FromEmailAddress as given, e.g. `Банк <letters@bank.example>`. */
  source: string;
  sourceArn: string;
  account: string;
  destination: string[];
  subject: string;
  /** The headers SES adds and the sender's own (Content.Simple.Headers). */
  headers: { name: string; value: string }[];
  /** The sender's EmailTags and SES's own (`ses:configuration-set`, `ses:from-domain`...). */
  tags: Record<string, string[]>;
};

export type SimulatedEvent = { detailType: string; detail: Record<string, unknown> };

/** The events SES publishes for the letter, in the order it would, limited to the destination's types. */
export function simulatedEvents(
  letter: AcceptedLetter,
  matching: ReadonlySet<SesEventType>,
): SimulatedEvent[] {
  const at = (ms: number) => new Date(letter.at.getTime() + ms).toISOString();
  const mail = {
    timestamp: letter.at.toISOString(),
    source: letter.source,
    sourceArn: letter.sourceArn,
    sendingAccountId: letter.account,
    messageId: letter.messageId,
    destination: letter.destination,
    headersTruncated: false,
    headers: letter.headers,
    commonHeaders: {
      from: [letter.source],
      to: letter.destination,
      messageId: letter.messageId,
      subject: letter.subject,
    },
    tags: letter.tags,
  };
  const feedbackId = (kind: string, i: number) => `${letter.messageId}-${kind}-${i}`;
  const events: [SesEventType, Record<string, unknown>][] = [['Send', { send: {} }]];
  letter.destination.forEach((recipient, i) => {
    const outcome = outcomeOf(recipient);
    if (outcome === 'delivered' || outcome === 'complained') {
      events.push([
        'Delivery',
        {
          delivery: {
            timestamp: at(200),
            processingTimeMillis: 200,
            recipients: [recipient],
            smtpResponse: '250 2.6.0 Message received',
            reportingMTA: 'a1-1.smtp-out.amazonses.com',
          },
        },
      ]);
    }
    if (outcome === 'bounced' || outcome === 'suppressed') {
      events.push([
        'Bounce',
        {
          bounce: {
            bounceType: 'Permanent',
            bounceSubType: outcome === 'bounced' ? 'General' : 'OnAccountSuppressionList',
            bouncedRecipients: [
              outcome === 'bounced'
                ? {
                    emailAddress: recipient,
                    action: 'failed',
                    status: '5.1.1',
                    diagnosticCode: 'smtp; 550 5.1.1 user unknown',
                  }
                : { emailAddress: recipient, action: 'failed', status: '5.1.1' },
            ],
            timestamp: at(300),
            feedbackId: feedbackId('bounce', i),
            reportingMTA: 'dns; amazonses.com',
          },
        },
      ]);
    }
    if (outcome === 'complained') {
      events.push([
        'Complaint',
        {
          complaint: {
            complainedRecipients: [{ emailAddress: recipient }],
            timestamp: at(1_000),
            feedbackId: feedbackId('complaint', i),
            complaintSubType: null,
            userAgent: 'Amazon SES Mailbox Simulator',
            complaintFeedbackType: 'abuse',
            arrivalDate: at(900),
          },
        },
      ]);
    }
  });
  return events
    .filter(([type]) => matching.has(type))
    .map(([eventType, part]) => ({
      detailType: SES_EVENT_TYPES[eventType],
      detail: { eventType, mail, ...part },
    }));
}
