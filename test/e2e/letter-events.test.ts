import { randomUUID } from 'node:crypto';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { ScanCommand, type ScanCommandOutput } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { LETTER_CONFIGURATION_SET } from '#infra/constructs/letter-sending.ts';
import { api, dynamo, eventually, tableName } from './client.ts';

const SIMULATOR = 'simulator.amazonses.com';
// Straight to the runtime's SES account (what the IAM gateway forwards to): no function sends letters yet.
const ses = new SESv2Client({
  region: 'eu-central-1',
  endpoint: inject('ses'),
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  maxAttempts: 1,
});
afterAll(() => ses.destroy());

const letterTo = (to: string[], configured = true) =>
  new SendEmailCommand({
    FromEmailAddress: 'letters@bank.example',
    Destination: { ToAddresses: to },
    Content: { Simple: { Subject: { Data: 'Предложение' }, Body: { Text: { Data: 'Текст письма' } } } },
    ...(configured
      ? {
          ConfigurationSetName: LETTER_CONFIGURATION_SET,
          EmailTags: [
            { Name: 'campaign', Value: 'c-e2e' },
            { Name: 'step', Value: '1' },
          ],
        }
      : {}),
  });

/** The suppression entries whose latest mark's source starts so (the list names addresses by hash only). */
async function suppressedBy(source: string): Promise<Record<string, unknown>[]> {
  const db = dynamo();
  const found: Record<string, unknown>[] = [];
  let from: ScanCommandOutput['LastEvaluatedKey'];
  do {
    const page: ScanCommandOutput = await db.send(
      new ScanCommand({
        TableName: await tableName(),
        FilterExpression: '#type = :type AND begins_with(latest.#source, :source)',
        ExpressionAttributeNames: { '#type': 'type', '#source': 'source' },
        ExpressionAttributeValues: { ':type': 'Suppression', ':source': source },
        ConsistentRead: true,
        ...(from ? { ExclusiveStartKey: from } : {}),
      }),
    );
    found.push(...(page.Items ?? []));
    from = page.LastEvaluatedKey;
  } while (from);
  return found;
}

const local = (path: string, init?: RequestInit) => fetch(`${api()}${path}`, init);

describe("letters' deliverability events on the local runtime", () => {
  it('suppresses bounce@ and suppressionlist@ as hard_bounced and complaint@ as complained, and success@ not at all', async () => {
    const label = randomUUID().slice(0, 8);
    const to = ['bounce', 'complaint', 'suppressionlist', 'success'].map(
      (box) => `${box}+${label}@${SIMULATOR}`,
    );
    const { MessageId } = await ses.send(letterTo(to));

    // SES publishes after it answers; the default bus's rule hands each event to RecordLetterEvent.
    const marked = (kind: string, index: number) =>
      eventually(async () => {
        const [entry] = await suppressedBy(`ses:${MessageId}-${kind}-${index}`);
        return entry;
      }, `the ${kind} of recipient ${index} to be recorded`);
    expect((await marked('bounce', 0)).latest).toMatchObject({ reason: 'hard_bounced' });
    expect((await marked('complaint', 1)).latest).toMatchObject({ reason: 'complained' });
    expect((await marked('bounce', 2)).latest).toMatchObject({ reason: 'hard_bounced' });
    expect(await suppressedBy(`ses:${MessageId}-`)).toHaveLength(3);
    // The simulator's mail is in the mailbox too (its content can be read), the emulator's id its message id.
    const store = (await (await fetch(`${inject('mailbox')}/store`)).json()) as {
      emails: { messageId: string }[];
    };
    expect(store.emails.map((e) => e.messageId)).toContain(MessageId);
  });

  it('publishes nothing for a letter sent without the configuration set', async () => {
    const label = randomUUID().slice(0, 8);
    const { MessageId: bare } = await ses.send(letterTo([`bounce+${label}@${SIMULATOR}`], false));
    const { MessageId: configured } = await ses.send(letterTo([`success+${label}@${SIMULATOR}`]));
    const busEvents = async () =>
      (await (await fetch(`${inject('events')}/events`)).json()) as {
        detail: { mail?: { messageId?: string } };
      }[];
    // The letter sent after it has had its events published; the one without the set has none.
    await eventually(async () => {
      const events = await busEvents();
      return events.some((e) => e.detail.mail?.messageId === configured) ? events : undefined;
    }, "the configured letter's events on the bus");
    expect((await busEvents()).filter((e) => e.detail.mail?.messageId === bare)).toEqual([]);
  });

  it('fails the next sends with the fault asked for at /__local/ses/faults, reports it, and sends again once cleared', async () => {
    const account = (await (await local('/__local/ses')).json()) as { injected: number };
    expect(account).toMatchObject({
      SendQuota: { MaxSendRate: 14, Max24HourSend: 50_000 },
      ProductionAccessEnabled: true,
    });
    expect(
      (await local('/__local/ses/faults', { method: 'POST', body: '{"error":"throttle"}' })).status,
    ).toBe(400);
    const asked = await local('/__local/ses/faults', {
      method: 'POST',
      body: '{"error":"throttle","count":1}',
    });
    expect(asked.status).toBe(200);
    try {
      const refused = await ses.send(letterTo([`success@${SIMULATOR}`])).then(
        () => undefined,
        (e: Error & { $metadata: { httpStatusCode?: number } }) => [e.name, e.$metadata.httpStatusCode],
      );
      expect(refused).toEqual(['TooManyRequestsException', 429]);
      expect((await ses.send(letterTo([`success@${SIMULATOR}`]))).MessageId).toBeTruthy();
      expect(await (await local('/__local/ses')).json()).toMatchObject({
        injected: account.injected + 1,
        faultsLeft: 0,
      });
    } finally {
      await local('/__local/ses/faults', { method: 'DELETE' });
    }
  });
});
