import * as z from 'zod';

/**
 * SES's email sending events as a configuration set's EventBridge destination delivers them: on the
 * account's default bus, source `aws.ses`, one detail type per event type, the event publishing record
 * (the same record SES gives SNS and Firehose) as the detail. The contract between SES (or the local SES
 * account, local/ses-account.ts) and RecordLetterEvent. Open where SES may add fields: the consumer reads
 * what it needs and passes the rest by. The records hold addresses: never log them.
 */
export const SES_EVENT_SOURCE = 'aws.ses';

/** The tag SES stamps on every letter sent with a configuration set, next to the sender's own EmailTags. */
export const CONFIGURATION_SET_TAG = 'ses:configuration-set';

/** Event type (the detail's `eventType`) and the detail type EventBridge carries it under. */
export const SES_EVENT_TYPES = {
  Send: 'Email Sent',
  Delivery: 'Email Delivered',
  Bounce: 'Email Bounced',
  Complaint: 'Email Complaint Received',
  Reject: 'Email Rejected',
  Open: 'Email Opened',
  Click: 'Email Clicked',
  DeliveryDelay: 'Email Delivery Delayed',
  'Rendering Failure': 'Email Rendering Failed',
} as const;
export type SesEventType = keyof typeof SES_EVENT_TYPES;
export const SES_DETAIL_TYPES = Object.values(SES_EVENT_TYPES);

const Timestamp = z.iso.datetime({ offset: true });
const Recipient = z.looseObject({ emailAddress: z.string().min(1) });

/** The letter the event is about: SES's message id, who sent it to whom, and its tags (name -> values). */
export const SesMail = z.looseObject({
  timestamp: Timestamp,
  messageId: z.string().min(1),
  source: z.string().min(1),
  sourceArn: z.string().optional(),
  sendingAccountId: z.string().optional(),
  destination: z.array(z.string().min(1)).min(1),
  headersTruncated: z.boolean().optional(),
  headers: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
  commonHeaders: z.record(z.string(), z.unknown()).optional(),
  tags: z.record(z.string(), z.array(z.string())).default({}),
});

export const SesBounce = z.looseObject({
  bounceType: z.enum(['Permanent', 'Transient', 'Undetermined']),
  bounceSubType: z.string().min(1),
  bouncedRecipients: z.array(
    Recipient.extend({
      action: z.string().optional(),
      status: z.string().optional(),
      diagnosticCode: z.string().optional(),
    }),
  ),
  timestamp: Timestamp,
  feedbackId: z.string().min(1),
  reportingMTA: z.string().optional(),
});

export const SesComplaint = z.looseObject({
  complainedRecipients: z.array(Recipient),
  timestamp: Timestamp,
  feedbackId: z.string().min(1),
  complaintSubType: z.string().nullable().optional(),
  complaintFeedbackType: z.string().optional(),
  userAgent: z.string().optional(),
  arrivalDate: Timestamp.optional(),
});

export const SesDelivery = z.looseObject({
  timestamp: Timestamp,
  recipients: z.array(z.string().min(1)),
  processingTimeMillis: z.number().optional(),
  smtpResponse: z.string().optional(),
  reportingMTA: z.string().optional(),
  remoteMtaIp: z.string().optional(),
});

export const SesDeliveryDelay = z.looseObject({
  timestamp: Timestamp,
  delayType: z.string().min(1),
  delayedRecipients: z.array(Recipient),
  expirationTime: Timestamp.optional(),
  reportingMTA: z.string().optional(),
});

export const SesOpen = z.looseObject({
  timestamp: Timestamp,
  ipAddress: z.string().optional(),
  userAgent: z.string().optional(),
});

export const SesClick = SesOpen.extend({
  link: z.string().min(1),
  linkTags: z.record(z.string(), z.array(z.string())).optional(),
});

const record = <T extends SesEventType, S extends Record<string, z.ZodType>>(eventType: T, shape: S) =>
  z.looseObject({ eventType: z.literal(eventType), mail: SesMail, ...shape });

/** The detail of each event type: the record SES publishes, with the part its type names. */
export const SesEventDetail = z.discriminatedUnion('eventType', [
  record('Send', { send: z.looseObject({}).optional() }),
  record('Delivery', { delivery: SesDelivery }),
  record('Bounce', { bounce: SesBounce }),
  record('Complaint', { complaint: SesComplaint }),
  record('Reject', { reject: z.looseObject({ reason: z.string() }) }),
  record('Open', { open: SesOpen }),
  record('Click', { click: SesClick }),
  record('DeliveryDelay', { deliveryDelay: SesDeliveryDelay }),
  record('Rendering Failure', {
    failure: z.looseObject({ errorMessage: z.string(), templateName: z.string().optional() }),
  }),
]);
export type SesEventDetail = z.infer<typeof SesEventDetail>;

/** The whole EventBridge event, whose detail type must be the one SES gives the detail's event type. */
export const SesEvent = z
  .looseObject({
    version: z.string().optional(),
    id: z.string().min(1),
    'detail-type': z.enum(SES_DETAIL_TYPES as [string, ...string[]]),
    source: z.literal(SES_EVENT_SOURCE),
    account: z.string().optional(),
    time: Timestamp,
    region: z.string().optional(),
    resources: z.array(z.string()).default([]),
    detail: SesEventDetail,
  })
  .refine((event) => event['detail-type'] === SES_EVENT_TYPES[event.detail.eventType], {
    path: ['detail-type'],
    message: "Must be the detail type SES gives the detail's eventType",
  });
export type SesEvent = z.infer<typeof SesEvent>;

/** A tag's value on the letter (SES keeps a list per name; the senders put one value on each). */
export const mailTag = (mail: z.infer<typeof SesMail>, name: string): string | undefined =>
  mail.tags[name]?.[0];
