import type { AdSpendDeps } from './ad-spend/keep-ad-spend.ts';
import { AdSpendStore } from './adapters/ad-spend-store.ts';
import { CostEventPublisher } from './adapters/event-publisher.ts';
import { documentClient } from './clients/dynamodb.ts';
import { eventBridgeClient } from './clients/event-bridge.ts';
import { setting } from './runtime.ts';

/** Advertising spend and the lead counters, in the table. */
export const adSpendDeps = (): AdSpendDeps => ({
  spends: new AdSpendStore(documentClient(), setting('tableName')),
  events: new CostEventPublisher(eventBridgeClient(), setting('eventBusName')),
  now: () => new Date(),
});
