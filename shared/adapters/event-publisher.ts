import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  COST_EVENT_SOURCE,
  COST_EVENTS,
  type CostEventDetail,
  type CostEventType,
} from '#events/cost-events.ts';
import {
  LEAD_EVENT_SOURCE,
  LEAD_EVENTS,
  type LeadEventDetail,
  type LeadEventType,
} from '#events/lead-events.ts';
import type { CostEvents } from '../ad-spend/ports.ts';
import type { LeadEvents } from '../leads/ports.ts';

/** Publishes lead events on the Attract bus, each checked against its contract before it leaves. */
export class EventPublisher implements LeadEvents {
  private readonly client: EventBridgeClient;
  private readonly busName: string;

  constructor(client: EventBridgeClient, busName: string) {
    this.client = client;
    this.busName = busName;
  }

  async publish<T extends LeadEventType>(type: T, detail: LeadEventDetail<T>): Promise<void> {
    const checked = LEAD_EVENTS[type].parse(detail);
    const result = await this.client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: this.busName,
            Source: LEAD_EVENT_SOURCE,
            DetailType: type,
            Detail: JSON.stringify(checked),
          },
        ],
      }),
    );
    // PutEvents reports per-entry failures in a 200 answer; throwing lets the workflow step retry.
    if (result.FailedEntryCount) {
      throw new Error(`EventBridge rejected ${type}: ${result.Entries?.[0]?.ErrorCode ?? 'unknown error'}`);
    }
  }
}

/** Publishes cost events on the Attract bus, each checked against its contract before it leaves. */
export class CostEventPublisher implements CostEvents {
  private readonly client: EventBridgeClient;
  private readonly busName: string;

  constructor(client: EventBridgeClient, busName: string) {
    this.client = client;
    this.busName = busName;
  }

  async publish<T extends CostEventType>(type: T, detail: CostEventDetail<T>): Promise<void> {
    const checked = COST_EVENTS[type].parse(detail);
    const entry = { EventBusName: this.busName, Source: COST_EVENT_SOURCE, DetailType: type };
    const result = await this.client.send(
      new PutEventsCommand({ Entries: [{ ...entry, Detail: JSON.stringify(checked) }] }),
    );
    // A refused entry fails the request: the retry sends the same fact again, under the same id.
    if (result.FailedEntryCount) {
      throw new Error(`EventBridge rejected ${type}: ${result.Entries?.[0]?.ErrorCode ?? 'unknown error'}`);
    }
  }
}
