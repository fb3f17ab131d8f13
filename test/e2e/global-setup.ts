import { type ChildProcess, spawn } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { freePort } from '#local/processes.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    api: string;
    mailbox: string;
    stepFunctions: string;
    dynamodb: string;
    events: string;
    tokens: Record<string, string>;
  }
}

/** The rate limit the end-to-end tests run with; the 429 test sends more than this from one address. */
export const E2E_RATE_LIMIT = 40;

/**
 * Starts the local runtime exactly as `npm start` does (same entry point, ports from the environment)
 * and hands the printed URLs and tokens to the tests.
 */
export default async function setup(project: TestProject) {
  const env = {
    ...process.env,
    ATTRACT_API_PORT: String(await freePort()),
    ATTRACT_MAILBOX_PORT: String(await freePort()),
    ATTRACT_DYNAMODB_PORT: String(await freePort()),
    ATTRACT_STEPFUNCTIONS_PORT: String(await freePort()),
    ATTRACT_EVENTS_PORT: String(await freePort()),
    ATTRACT_LEAD_RATE_LIMIT_PER_MINUTE: String(E2E_RATE_LIMIT),
  };
  const child: ChildProcess = spawn(process.execPath, ['local/start.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const printed = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Local runtime did not start in time:\n${output}`)), 150_000);
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes('Ready.')) {
        clearTimeout(timer);
        resolve(output);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Local runtime exited with ${code}:\n${output}`));
    });
  });
  const line = (label: string) => new RegExp(`^${label} (\\S+)$`, 'm').exec(printed)?.[1] ?? '';
  const tokens = Object.fromEntries([...printed.matchAll(/^Token (\S+) (\S+)$/gm)].map((m) => [m[1], m[2]]));
  project.provide('api', line('API'));
  project.provide('mailbox', line('Mailbox'));
  project.provide('stepFunctions', line('StepFunctions'));
  project.provide('dynamodb', line('DynamoDB'));
  project.provide('events', line('Events'));
  project.provide('tokens', tokens as Record<string, string>);

  return async () => {
    child.removeAllListeners('exit');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await exited;
  };
}
