import { EventPublisher } from './adapters/event-publisher.ts';
import { eventBridgeClient } from './clients/event-bridge.ts';
import { directory, leads } from './composition.ts';
import type { IntakeDeps } from './leads/intake.ts';
import { setting } from './runtime.ts';

/** The intake workflow's steps: the table, and EventBridge for the events they publish. */
export const intakeDeps = (): IntakeDeps => ({
  leads: leads(),
  managers: directory(),
  clients: directory(),
  events: new EventPublisher(eventBridgeClient(), setting('eventBusName')),
  now: () => new Date(),
});
