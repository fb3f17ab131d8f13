import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalEventBus } from '#local/event-bus.ts';
import { freePort } from '#local/processes.ts';
import { LocalQueues } from '#local/queues.ts';

const BUS = 'attract';
const BUS_ARN = `arn:aws:events:eu-central-1:000000000000:event-bus/${BUS}`;
const DLQ = 'arn:aws:sqs:eu-central-1:000000000000:AuditDlq';
const fn = (name: string) => `arn:aws:lambda:eu-central-1:000000000000:function:${name}`;

describe('LocalEventBus', () => {
  type Delivered = { id?: string; 'detail-type'?: string; fixed?: boolean };
  const delivered: { target: string; event: Delivered }[] = [];
  let failuresLeft = 0;
  const queues = new LocalQueues();
  const bus = new LocalEventBus({
    queues,
    rules: [
      {
        name: 'QualifiedLeads',
        eventBusName: BUS,
        eventPattern: { source: ['attract.leads'], 'detail-type': ['LeadQualified'] },
        targets: [
          { id: 'Crm', arn: fn('Crm') },
          { id: 'Fixed', arn: fn('Fixed'), input: '{"fixed":true}' },
        ],
      },
      {
        name: 'Audit',
        eventBusName: BUS_ARN,
        eventPattern: { source: [{ prefix: 'attract.' }] },
        targets: [{ id: 'Audit', arn: fn('Audit'), deadLetterArn: DLQ, maximumRetryAttempts: 2 }],
      },
    ],
    deliver: async (target, event) => {
      if (target === fn('Audit') && failuresLeft > 0) {
        failuresLeft -= 1;
        throw new Error('audit store unavailable');
      }
      delivered.push({ target, event: event as Delivered });
    },
  });
  let endpoint = '';
  let client: EventBridgeClient;

  beforeAll(async () => {
    endpoint = await bus.listen(await freePort());
    client = new EventBridgeClient({
      endpoint,
      region: 'eu-central-1',
      credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
    });
  });
  afterAll(async () => {
    client.destroy();
    await bus.close();
  });

  const put = (entries: Record<string, unknown>[]) =>
    client.send(new PutEventsCommand({ Entries: entries.map((e) => ({ EventBusName: BUS, ...e })) }));

  it('accepts events, wraps them in the EventBridge envelope and delivers them to matching rules', async () => {
    const result = await put([
      {
        Source: 'attract.leads',
        DetailType: 'LeadQualified',
        Detail: '{"leadId":"L-1"}',
        Resources: ['r-1'],
      },
    ]);

    expect(result.FailedEntryCount).toBe(0);
    const eventId = result.Entries?.[0]?.EventId;
    await bus.idle();
    const event = bus.events().find((e) => e.id === eventId);
    expect(event).toMatchObject({
      version: '0',
      'detail-type': 'LeadQualified',
      source: 'attract.leads',
      account: '000000000000',
      region: 'eu-central-1',
      resources: ['r-1'],
      detail: { leadId: 'L-1' },
    });
    expect(event?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const withEvent = delivered.filter((d) => d.event.id === eventId).map((d) => d.target);
    expect(withEvent.sort()).toEqual([fn('Audit'), fn('Crm')]);
    expect(delivered.filter((d) => d.target === fn('Fixed')).map((d) => d.event)).toEqual([{ fixed: true }]);
  });

  it('delivers only to rules whose pattern matches and whose bus is the event bus', async () => {
    delivered.length = 0;
    await put([{ Source: 'attract.managers', DetailType: 'ManagerAway', Detail: '{}' }]);
    await put([
      { Source: 'attract.leads', DetailType: 'LeadQualified', Detail: '{}', EventBusName: 'default' },
    ]);
    await bus.idle();

    expect(delivered.map((d) => d.target)).toEqual([fn('Audit')]);
  });

  it('reports invalid entries one by one and keeps the valid ones', async () => {
    const result = await put([
      { Source: 'attract.leads', DetailType: 'LeadQualified', Detail: 'not json' },
      { Source: 'attract.leads', Detail: '{}' },
      { Source: 'attract.leads', DetailType: 'LeadQualified', Detail: '{"ok":true}' },
    ]);

    expect(result.FailedEntryCount).toBe(2);
    expect(result.Entries?.map((e) => e.ErrorCode)).toEqual([
      'MalformedDetail',
      'InvalidArgument',
      undefined,
    ]);
    expect(result.Entries?.[2]?.EventId).toBeTruthy();
  });

  it('retries a failing target, then sends the event to its dead-letter queue', async () => {
    failuresLeft = 2;
    await put([{ Source: 'attract.leads', DetailType: 'Retried', Detail: '{"n":1}' }]);
    await bus.idle();
    expect(delivered.some((d) => d.event['detail-type'] === 'Retried')).toBe(true);
    expect(queues.depth(DLQ)).toBe(0);

    failuresLeft = 3;
    await put([{ Source: 'attract.leads', DetailType: 'DeadLettered', Detail: '{"n":2}' }]);
    await bus.idle();

    expect(queues.depth(DLQ)).toBe(1);
    const [message] = queues.messages(DLQ);
    expect(JSON.parse(message?.body ?? '')).toMatchObject({
      'detail-type': 'DeadLettered',
      detail: { n: 2 },
    });
    expect(message?.attributes).toMatchObject({
      ERROR_MESSAGE: 'audit store unavailable',
      TARGET_ARN: fn('Audit'),
    });
  });

  it('serves the accepted events at GET /events', async () => {
    const events = (await (await fetch(`${endpoint}/events`)).json()) as { source: string }[];

    expect(events.length).toBe(bus.events().length);
    expect(events.every((e) => e.source.startsWith('attract.'))).toBe(true);
  });
});
