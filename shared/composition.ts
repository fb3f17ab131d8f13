import { randomUUID } from 'node:crypto';
import type { Keys } from './access/keys.ts';
import { Directory } from './adapters/directory.ts';
import { EventPublisher } from './adapters/event-publisher.ts';
import { LeadReadsStore } from './adapters/lead-reads-store.ts';
import { LeadStore } from './adapters/lead-store.ts';
import { Mailer } from './adapters/mailer.ts';
import { NotificationStore } from './adapters/notification-store.ts';
import { DynamoRateLimiter } from './adapters/rate-limiter.ts';
import { StepFunctionsStarter } from './adapters/workflow-starter.ts';
import type { CaptureDeps } from './leads/capture-lead.ts';
import { MAX_ENQUIRIES_PER_LEAD } from './leads/enquiry.ts';
import type { IntakeDeps } from './leads/intake.ts';
import type { NotifyDeps } from './leads/notify-manager.ts';
import type { OutboxDeps } from './leads/outbox.ts';
import type { Leads } from './leads/ports.ts';
import type { ReadLeadDeps } from './leads/read-lead.ts';
import {
  documentClient,
  eventBridgeClient,
  numericSetting,
  sesClient,
  setting,
  sfnClient,
} from './runtime.ts';

/**
 * The one place that wires adapters into the use cases, once per function instance. Handlers take what
 * they need from here; the use cases see only the ports in shared/leads/ports.ts.
 */
export const leads = (): Leads => new LeadStore(documentClient(), setting('tableName'));

export const leadReads = () => new LeadReadsStore(documentClient(), setting('tableName'));

export const readLeadDeps = (): ReadLeadDeps => ({
  leads: leads(),
  reads: leadReads(),
  now: () => new Date(),
});

const directory = () => new Directory(documentClient(), setting('tableName'));

/** The public capture path: `keys` come from the key secret, read once per execution environment. */
export const captureDeps = (keys: Keys): CaptureDeps => ({
  leads: leads(),
  referrers: directory(),
  keys,
  rateLimiter: new DynamoRateLimiter(
    documentClient(),
    setting('tableName'),
    numericSetting('leadRateLimitPerMinute'),
  ),
  duplicateWindowDays: numericSetting('duplicateWindowDays'),
  now: () => new Date(),
  newId: randomUUID,
  enquiryLimit: MAX_ENQUIRIES_PER_LEAD,
});

export const intakeDeps = (): IntakeDeps => ({
  leads: leads(),
  managers: directory(),
  clients: directory(),
  events: new EventPublisher(eventBridgeClient(), setting('eventBusName')),
  now: () => new Date(),
});

export const notifyDeps = (): NotifyDeps => ({
  leads: leads(),
  managers: directory(),
  notifications: new NotificationStore(documentClient(), setting('tableName')),
  mail: new Mailer(sesClient(), setting('senderEmail')),
  now: () => new Date(),
});

export const outboxDeps = (): OutboxDeps => ({
  leads: leads(),
  starter: new StepFunctionsStarter(sfnClient(), setting('leadIntakeStateMachineArn')),
  now: () => new Date(),
});
