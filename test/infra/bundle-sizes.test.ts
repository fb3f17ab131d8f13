import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildAttractApp, STATELESS_STACK } from '#infra/attract-app.ts';
import { ENTRY_METADATA } from '#infra/constructs/attract-function.ts';
import { BUNDLE_GOAL_BYTES, type BundleSize, measureBundleSizesQuietly } from '../../bench/bundle-sizes.ts';

// The one infra test that bundles (about a second per function): it measures what `cdk deploy` would upload.
describe('bundle sizes, as the bench reports them', () => {
  let bundles: BundleSize[] = [];
  beforeAll(() => {
    bundles = measureBundleSizesQuietly();
  });

  it('measures one bundle per function of the app, largest first', () => {
    const app = buildAttractApp({
      context: { 'aws:cdk:bundling-stacks': [] },
      nag: false,
      validation: false,
    });
    const functions = Template.fromStack(app.node.findChild(STATELESS_STACK) as never).findResources(
      'AWS::Lambda::Function',
    );
    const entries = Object.values(functions)
      .map((fn) => fn.Metadata?.[ENTRY_METADATA])
      .filter(Boolean);
    expect(bundles.map((b) => b.entry).sort()).toEqual(entries.sort());
    expect(bundles.map((b) => b.bytes)).toEqual(bundles.map((b) => b.bytes).sort((a, b) => b - a));
    // Every handler bundles at least zod and the logger: a smaller file would be a stub, not the bundle.
    for (const b of bundles) expect(b.bytes, b.entry).toBeGreaterThan(100_000);
  });

  it('keeps every bundle under the 1 MB goal', () => {
    for (const b of bundles) expect(b.bytes, b.entry).toBeLessThan(BUNDLE_GOAL_BYTES);
  });
});
