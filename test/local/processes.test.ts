import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startDynamoDbLocal, startSesLocal } from '#local/processes.ts';

const credentials = { accessKeyId: 'l', secretAccessKey: 'l' };
const refused = (url: string) =>
  fetch(url).then(
    () => false,
    () => true,
  );

describe('local emulator processes', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'attract-ddb-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('freePort gives distinct ports that can be bound', async () => {
    const [a, b] = [await freePort(), await freePort()];
    expect(a).toBeGreaterThan(0);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(a, '127.0.0.1', resolve));
    server.close();
    expect(b).toBeGreaterThan(0);
  });

  it('starts the SES v2 emulator on loopback, which keeps mail, and stops it', async () => {
    const ses = await startSesLocal({ port: await freePort() });
    try {
      const client = new SESv2Client({ endpoint: ses.endpoint, region: 'eu-central-1', credentials });
      await client.send(
        new SendEmailCommand({
          FromEmailAddress: 'attract@bank.example',
          Destination: { ToAddresses: ['manager@bank.example'] },
          Content: { Simple: { Subject: { Data: 'New lead' }, Body: { Text: { Data: 'L-1' } } } },
        }),
      );
      client.destroy();
      const store = (await (await fetch(`${ses.endpoint}/store`)).json()) as {
        emails: { subject: string }[];
      };
      expect(store.emails.map((e) => e.subject)).toEqual(['New lead']);
    } finally {
      await ses.stop();
    }
    expect(await refused(`${ses.endpoint}/health-check`)).toBe(true);
  });

  it('keeps DynamoDB Local data in dbPath across restarts', async () => {
    const port = await freePort();
    const first = await startDynamoDbLocal({ port, dbPath: dataDir });
    const client = () =>
      new DynamoDBClient({ endpoint: first.endpoint, region: 'eu-central-1', credentials });
    const c1 = client();
    await c1.send(
      new CreateTableCommand({
        TableName: 'Persisted',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    c1.destroy();
    await first.stop();
    expect(await refused(first.endpoint)).toBe(true);

    const second = await startDynamoDbLocal({ port, dbPath: dataDir });
    const c2 = client();
    try {
      expect((await c2.send(new ListTablesCommand({}))).TableNames).toEqual(['Persisted']);
    } finally {
      c2.destroy();
      await second.stop();
    }
  });

  it('takes its emulators down when it is killed outright', async () => {
    const port = await freePort();
    const processes = new URL('../../local/processes.ts', import.meta.url).href;
    const script = `const { startSesLocal } = await import('${processes}');
      await startSesLocal({ port: ${port} });
      console.log('ready');`;
    const parent = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise((resolve, reject) => {
      parent.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve(undefined));
      parent.once('exit', reject);
    });
    expect(await refused(`http://127.0.0.1:${port}/health-check`)).toBe(false);

    parent.kill('SIGKILL');

    while (!(await refused(`http://127.0.0.1:${port}/health-check`))) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });

  it('reports the child stderr when it cannot start', async () => {
    // Something else holds the port and never answers: the emulator exits (its message is not EADDRINUSE).
    const blocker = createServer(() => undefined);
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      await expect(startSesLocal({ port })).rejects.toThrow(
        /aws-ses-v2-local exited with 1 while starting:\n.*Error/,
      );
    } finally {
      blocker.close();
    }
  });
});
