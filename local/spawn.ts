import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '#infra/constructs/attract-function.ts';
import { freePort } from './processes.ts';

export type StartedRuntime = {
  urls: {
    api: string;
    mailbox: string;
    ses: string;
    dynamodb: string;
    stepFunctions: string;
    events: string;
  };
  tokens: Record<string, string>;
  stop: () => Promise<void>;
};

/**
 * Runs `local/start.ts` (what `npm start` runs) as a child process on free ports and reads the lines it
 * prints. Tests and benchmarks use it, so they exercise the same entry point a developer does.
 */
export async function spawnLocalRuntime(env: Record<string, string> = {}): Promise<StartedRuntime> {
  const ports = {
    ATTRACT_API_PORT: String(await freePort()),
    ATTRACT_MAILBOX_PORT: String(await freePort()),
    ATTRACT_DYNAMODB_PORT: String(await freePort()),
    ATTRACT_STEPFUNCTIONS_PORT: String(await freePort()),
    ATTRACT_EVENTS_PORT: String(await freePort()),
  };
  const child: ChildProcess = spawn(process.execPath, [path.join(PROJECT_ROOT, 'local/start.ts')], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...ports, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Output is kept until the runtime is ready (for the error message); after that it is only drained.
  let output = '';
  let ready = false;
  const keep = (d: Buffer) => {
    if (!ready) output += d.toString();
  };
  child.stderr?.on('data', keep);
  const printed = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`The local runtime did not start in time:\n${output}`)),
      150_000,
    );
    child.stdout?.on('data', (d: Buffer) => {
      keep(d);
      if (!ready && output.includes('\nReady.')) {
        ready = true;
        clearTimeout(timer);
        resolve(output);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The local runtime exited with ${code}:\n${output}`));
    });
  });
  const line = (label: string) => new RegExp(`^${label} (\\S+)$`, 'm').exec(printed)?.[1] ?? '';
  return {
    urls: {
      api: line('API'),
      mailbox: line('Mailbox'),
      ses: line('SES'),
      dynamodb: line('DynamoDB'),
      stepFunctions: line('StepFunctions'),
      events: line('Events'),
    },
    tokens: Object.fromEntries(
      [...printed.matchAll(/^Token (\S+) (\S+)$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']),
    ),
    stop: async () => {
      if (child.exitCode !== null) return;
      child.removeAllListeners('exit');
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
    },
  };
}
