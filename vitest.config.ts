import { defineConfig } from 'vitest/config';

// Three layers (DESIGN.md rule 6): pure domain, synthesized infrastructure, and the system on the local runtime.
export default defineConfig({
  test: {
    // Two at once on two cores (the default leaves one core to the runner): the end-to-end files, one
    // after another, mostly wait on their stack, and the emulator files run beside them.
    maxWorkers: 2,
    projects: [
      // Pure tests share their workers' module graph (no file changes a module's state, timers or the
      // environment): each worker loads zod, fast-check and the domain once, not once per file.
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], isolate: false } },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          // Each file synthesizes its own app; loading aws-cdk-lib once per worker, not per file, saves most
          // of this project's time.
          isolate: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'local',
          include: ['test/local/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          // One local stack serves every file; files run one after another so fault injection stays scoped.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
