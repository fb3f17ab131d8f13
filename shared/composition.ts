import { randomUUID } from 'node:crypto';
import { Directory } from './adapters/directory.ts';
import { EventPublisher } from './adapters/event-publisher.ts';
import { LeadStore } from './adapters/lead-store.ts';
import { Mailer } from './adapters/mailer.ts';
import { RateLimiter } from './adapters/rate-limiter.ts';
import { WorkflowStarter } from './adapters/workflow-starter.ts';
import type { CaptureDeps } from './leads/capture-lead.ts';
import type { IntakeDeps } from './leads/intake.ts';
import type { OutboxDeps } from './leads/outbox.ts';
import {
  documentClient,
  eventBridgeClient,
  numericSetting,
  sesClient,
  setting,
  sfnClient,
} from './runtime.ts';

/** Wires adapters into the use cases, once per function instance. Handlers take what they need from here. */
export const leadStore = () => new LeadStore(documentClient(), setting('tableName'));

export const captureDeps = (): CaptureDeps => ({
  leads: leadStore(),
  rateLimiter: new RateLimiter(
    documentClient(),
    setting('tableName'),
    numericSetting('leadRateLimitPerMinute'),
  ),
  duplicateWindowDays: numericSetting('duplicateWindowDays'),
  now: () => new Date(),
  newLeadId: randomUUID,
});

export const intakeDeps = (): IntakeDeps => ({
  leads: leadStore(),
  directory: new Directory(documentClient(), setting('tableName')),
  events: new EventPublisher(eventBridgeClient(), setting('eventBusName')),
  now: () => new Date(),
});

export const mailer = () => new Mailer(sesClient(), setting('senderEmail'));

export const outboxDeps = (): OutboxDeps => ({
  leads: leadStore(),
  starter: new WorkflowStarter(sfnClient(), setting('leadIntakeStateMachineArn')),
  now: () => new Date(),
});
