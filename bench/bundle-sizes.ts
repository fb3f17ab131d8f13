import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAttractApp } from '#infra/attract-app.ts';
import { ENTRY_METADATA } from '#infra/constructs/attract-function.ts';

export interface BundleSize {
  /** The handler module, e.g. `functions/leads/capture-lead.ts`. */
  entry: string;
  /** The minified `index.mjs` Lambda runs. */
  bytes: number;
  /** The npm packages bundled into it (e.g. `@aws-sdk/client-sesv2`), read from the bundle's source map. */
  packages: string[];
}

type Resource = {
  Type: string;
  Properties?: { Code?: { S3Key?: unknown } };
  Metadata?: Record<string, unknown>;
};

/**
 * Bundles every function exactly as `cdk deploy` does (the app synthesized with bundling on) and measures
 * each asset's `index.mjs`, largest first. Takes about a second per function.
 */
export function measureBundleSizes(): BundleSize[] {
  const outdir = mkdtempSync(path.join(tmpdir(), 'attract-bundles-'));
  try {
    const assembly = buildAttractApp({ outdir, nag: false, validation: false }).synth();
    const sizes = assembly.stacks.flatMap((stack) =>
      Object.values((stack.template as { Resources: Record<string, Resource> }).Resources)
        .filter((r) => r.Type === 'AWS::Lambda::Function' && typeof r.Metadata?.[ENTRY_METADATA] === 'string')
        .map((r) => {
          // A file asset's S3 key is `<hash>.zip`; the cloud assembly keeps it unzipped in `asset.<hash>`.
          const hash = String(r.Properties?.Code?.S3Key).replace(/\.zip$/, '');
          const bundle = path.join(outdir, `asset.${hash}`, 'index.mjs');
          return {
            entry: String(r.Metadata?.[ENTRY_METADATA]),
            bytes: statSync(bundle).size,
            packages: bundledPackages(`${bundle}.map`),
          };
        }),
    );
    return sizes.sort((a, b) => b.bytes - a.bytes);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The packages a bundle holds: every source the map names under node_modules, by its innermost package. */
function bundledPackages(sourceMap: string): string[] {
  const { sources } = JSON.parse(readFileSync(sourceMap, 'utf8')) as { sources: string[] };
  const names = sources.map((source) => /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source)?.[1]);
  return [...new Set(names.filter((name) => name !== undefined))].sort();
}

/** The same in a child process, so esbuild's report of every bundle does not interleave with the caller's output. */
export function measureBundleSizesQuietly(): BundleSize[] {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`Bundling failed (exit ${child.status}):\n${child.stderr}`);
  return JSON.parse(child.stdout) as BundleSize[];
}

/** Under 1 MB a function loads fast on a cold start and stays readable in the console. */
export const BUNDLE_GOAL_BYTES = 1024 * 1024;

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

if (import.meta.main) process.stdout.write(JSON.stringify(measureBundleSizes()));
