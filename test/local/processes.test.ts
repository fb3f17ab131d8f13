import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, PortInUseError, portIsFree, startDynamoDbLocal, startSesLocal } from '#local/processes.ts';

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

  /** Something else on the port that never answers, as another program or a second Attract would be. */
  const holdPort = async (host = '127.0.0.1') => {
    const blocker = createServer(() => undefined);
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, host, resolve));
    return { port, release: () => new Promise((resolve) => blocker.close(resolve)) };
  };

  it('names the emulator and the port when the port is taken', async () => {
    const held = await holdPort('0.0.0.0');
    try {
      await expect(startSesLocal({ port: held.port })).rejects.toThrow(
        new PortInUseError('aws-ses-v2-local', held.port),
      );
      await expect(startDynamoDbLocal({ port: held.port })).rejects.toThrow(
        new PortInUseError('DynamoDB Local', held.port),
      );
    } finally {
      await held.release();
    }
  });

  it('keeps DynamoDB Local on 127.0.0.1: another loopback address can still take its port', async () => {
    const ddb = await startDynamoDbLocal({ port: await freePort() });
    const port = Number(new URL(ddb.endpoint).port);
    try {
      // A listener on every interface would hold 127.0.0.2 too and make this bind fail.
      const neighbour = createServer();
      await new Promise<void>((resolve, reject) => {
        neighbour.once('error', reject);
        neighbour.listen(port, '127.0.0.2', resolve);
      });
      neighbour.close();
      expect(await portIsFree(port)).toBe(false);
    } finally {
      await ddb.stop();
    }
  });

  it('npm start says which port is busy and which variable to set, without a stack trace', async () => {
    const held = await holdPort();
    try {
      const env: Record<string, string> = { ...process.env, ATTRACT_API_PORT: String(held.port) } as never;
      for (const name of ['MAILBOX', 'DYNAMODB', 'STEPFUNCTIONS', 'EVENTS'])
        env[`ATTRACT_${name}_PORT`] = String(await freePort());
      const start = new URL('../../local/start.ts', import.meta.url).pathname;
      const child = spawn(process.execPath, [start], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const code = await new Promise((resolve) => child.once('exit', resolve));
      expect(code).toBe(1);
      expect(stderr).toContain(`Port ${held.port} (ATTRACT_API_PORT) is already in use.`);
      expect(stderr).toContain(`ATTRACT_API_PORT=${held.port + 1} npm start`);
      expect(stderr).not.toMatch(/^\s+at /m);
    } finally {
      await held.release();
    }
  });
});
