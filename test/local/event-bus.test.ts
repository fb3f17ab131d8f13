import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalEventBus } from '#local/event-bus.ts';
import { freePort } from '#local/processes.ts';
import { LocalQueues } from '#local/queues.ts';

const BUS = 'attract';
const BUS_ARN = `arn:aws:events:eu-central-1:000000000000:event-bus/${BUS}`;
const DLQ = 'arn:aws:sqs:eu-central-1:000000000000:AuditDlq';
const CRM_DLQ = 'arn:aws:sqs:eu-central-1:000000000000:CrmDlq';
const named = (name: string, message: string) => Object.assign(new Error(message), { name });
const fn = (name: string) => `arn:aws:lambda:eu-central-1:000000000000:function:${name}`;

describe('LocalEventBus', () => {
  type Delivered = { id?: string; 'detail-type'?: string; fixed?: boolean };
  const delivered: { target: string; event: Delivered }[] = [];
  let failuresLeft = 0;
  const attempts = new Map<string, number>();
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
      {
        name: 'CrmSync',
        eventBusName: BUS,
        eventPattern: { source: ['bank.crm'] },
        targets: [
          { id: 'Denied', arn: fn('Denied'), deadLetterArn: CRM_DLQ },
          { id: 'Gone', arn: fn('Gone'), deadLetterArn: CRM_DLQ },
          { id: 'Busy', arn: fn('Busy'), deadLetterArn: CRM_DLQ, maximumEventAgeSeconds: 60 },
        ],
      },
    ],
    // The injected delivery: a Lambda target's invoke, accepted or refused as the Lambda service would.
    deliver: async (target, event) => {
      attempts.set(target, (attempts.get(target) ?? 0) + 1);
      if (target === fn('Audit') && failuresLeft > 0) {
        failuresLeft -= 1;
        throw new Error('audit store unavailable');
      }
      if (target === fn('Denied')) throw named('AccessDeniedException', 'events may not invoke Denied');
      if (target === fn('Gone')) throw named('Lambda.ResourceNotFoundException', 'Function not found: Gone');
      if (target === fn('Busy')) throw named('TooManyRequestsException', 'Rate exceeded');
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
    expect(message?.attributes).toEqual({
      RULE_ARN: 'arn:aws:events:eu-central-1:000000000000:rule/attract/Audit',
      TARGET_ARN: fn('Audit'),
      ERROR_CODE: 'ERROR_FROM_TARGET',
      ERROR_MESSAGE: 'audit store unavailable',
      RETRY_ATTEMPTS: '2',
      EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts',
    });
  });

  it('dead-letters a refused delivery at once: no permission or no function is not retried', async () => {
    await put([{ Source: 'bank.crm', DetailType: 'ClientUpdated', Detail: '{"n":3}' }]);
    await bus.idle();

    expect(attempts.get(fn('Denied'))).toBe(1);
    expect(attempts.get(fn('Gone'))).toBe(1);
    const byTarget = Object.fromEntries(queues.messages(CRM_DLQ).map((m) => [m.attributes.TARGET_ARN, m]));
    expect(byTarget[fn('Denied')]?.attributes).toEqual({
      RULE_ARN: 'arn:aws:events:eu-central-1:000000000000:rule/attract/CrmSync',
      TARGET_ARN: fn('Denied'),
      ERROR_CODE: 'NO_PERMISSIONS',
      ERROR_MESSAGE: 'events may not invoke Denied',
      RETRY_ATTEMPTS: '0',
    });
    expect(byTarget[fn('Gone')]?.attributes).toMatchObject({
      ERROR_CODE: 'NO_RESOURCE',
      RETRY_ATTEMPTS: '0',
    });
    expect(JSON.parse(byTarget[fn('Gone')]?.body ?? '')).toMatchObject({ detail: { n: 3 } });
  });

  it('retries a throttled delivery until MaximumEventAgeInSeconds runs out, then dead-letters it', async () => {
    const before = attempts.get(fn('Busy')) ?? 0;

    await put([{ Source: 'bank.crm', DetailType: 'ClientUpdated', Detail: '{"n":4}' }]);
    await bus.idle();

    // Backoff of 1, 2, 4, 8 and 16 s keeps the event 31 s old; the next 32 s would pass its 60 s.
    expect((attempts.get(fn('Busy')) ?? 0) - before).toBe(6);
    const [message] = queues
      .messages(CRM_DLQ)
      .filter((m) => m.attributes.TARGET_ARN === fn('Busy') && JSON.parse(m.body).detail.n === 4);
    expect(message?.attributes).toMatchObject({
      ERROR_CODE: 'THROTTLING',
      RETRY_ATTEMPTS: '5',
      EXHAUSTED_RETRY_CONDITION: 'MaximumEventAgeInSeconds',
    });
  });

  it('refuses a rule with an invalid pattern when it is created, as PutRule does', () => {
    const rule = (eventPattern: unknown) => ({
      name: 'Broken',
      eventBusName: BUS,
      eventPattern,
      targets: [],
    });
    const create = (eventPattern: unknown) =>
      new LocalEventBus({ queues, rules: [rule(eventPattern)], deliver: async () => undefined });

    expect(() => create({ source: [] })).toThrow(
      expect.objectContaining({
        name: 'InvalidEventPatternException',
        message: expect.stringContaining('Empty arrays are not allowed (at source)'),
      }),
    );
    expect(() => create({ detail: { score: [{ numeric: ['>', 9, '<', 1] }] } })).toThrow(
      /Bottom must be less/,
    );
  });

  it('serves the accepted events at GET /events', async () => {
    const events = (await (await fetch(`${endpoint}/events`)).json()) as unknown[];

    expect(events).toEqual(bus.events());
    expect(events.length).toBeGreaterThan(0);
  });
});
