import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { BUNDLING, PROJECT_ROOT } from '#infra/constructs/attract-function.ts';
import type { LocalFunction } from './assembly.ts';

/**
 * Bundles the functions as `cdk deploy` does (the AttractFunction bundling options, ESM, the AWS SDK
 * inside), so each local execution environment loads what Lambda would: one file per function.
 */
export async function bundleFunctions(
  functions: LocalFunction[],
): Promise<{ bundles: Map<string, string>; remove: () => void }> {
  const outdir = mkdtempSync(path.join(tmpdir(), 'attract-bundles-'));
  const entries = [...new Set(functions.map((fn) => fn.entry))];
  const name = (entry: string) => entry.replace(/\.ts$/, '').replace(/[^A-Za-z0-9]+/g, '-');
  await build({
    entryPoints: Object.fromEntries(entries.map((entry) => [name(entry), path.join(PROJECT_ROOT, entry)])),
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLING.target,
    minify: BUNDLING.minify,
    sourcemap: BUNDLING.sourceMap,
    mainFields: BUNDLING.mainFields,
    banner: { js: BUNDLING.banner },
    external: BUNDLING.externalModules,
    logLevel: 'error',
  });
  return {
    bundles: new Map(entries.map((entry) => [entry, path.join(outdir, `${name(entry)}.mjs`)])),
    remove: () => rmSync(outdir, { recursive: true, force: true }),
  };
}
