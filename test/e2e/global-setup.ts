import type { TestProject } from 'vitest/node';
import { spawnLocalRuntime } from '#local/spawn.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    api: string;
    mailbox: string;
    ses: string;
    stepFunctions: string;
    dynamodb: string;
    events: string;
    tokens: Record<string, string>;
  }
}

/** The rate limit the end-to-end tests run with; the 429 test sends more than this from one address. */
export const E2E_RATE_LIMIT = 40;

/** One local stack for every end-to-end file, started exactly as `npm start` starts it. */
export default async function setup(project: TestProject) {
  const runtime = await spawnLocalRuntime({ ATTRACT_LEAD_RATE_LIMIT_PER_MINUTE: String(E2E_RATE_LIMIT) });
  for (const [name, url] of Object.entries(runtime.urls)) project.provide(name as 'api', url);
  project.provide('tokens', runtime.tokens);
  return runtime.stop;
}
