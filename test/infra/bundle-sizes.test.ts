import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildAttractApp, STATELESS_STACK } from '#infra/attract-app.ts';
import { ENTRY_METADATA } from '#infra/constructs/attract-function.ts';
import { BUNDLE_GOAL_BYTES, type BundleSize, measureBundleSizesQuietly } from '../../bench/bundle-sizes.ts';

/** The IAM service each bundled SDK client calls; a client missing here fails the test until it is named. */
const CLIENT_SERVICES: Record<string, string> = {
  '@aws-sdk/client-dynamodb': 'dynamodb',
  '@aws-sdk/client-eventbridge': 'events',
  '@aws-sdk/client-s3': 's3',
  '@aws-sdk/client-secrets-manager': 'secretsmanager',
  '@aws-sdk/client-sesv2': 'ses',
  '@aws-sdk/client-sfn': 'states',
};

type Resource = { Properties: Record<string, unknown>; Metadata?: Record<string, unknown> };

/** Each function's entry and the IAM services its role may call, from the synthesized stateless stack. */
function servicesByEntry(): Map<string, Set<string>> {
  const app = buildAttractApp({ context: { 'aws:cdk:bundling-stacks': [] }, nag: false, validation: false });
  const template = Template.fromStack(app.node.findChild(STATELESS_STACK) as never);
  const policies = Object.values(template.findResources('AWS::IAM::Policy') as Record<string, Resource>);
  const functions = Object.values(
    template.findResources('AWS::Lambda::Function') as Record<string, Resource>,
  );
  return new Map(
    functions
      .filter((fn) => typeof fn.Metadata?.[ENTRY_METADATA] === 'string')
      .map((fn) => {
        const role = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
        const actions = policies
          .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${role}"`))
          .flatMap(
            (p) => (p.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement,
          )
          .flatMap((s) => [s.Action].flat());
        return [String(fn.Metadata?.[ENTRY_METADATA]), new Set(actions.map((a) => a.split(':')[0] ?? ''))];
      }),
  );
}

// The one infra test that bundles (about a second per function): it measures what `cdk deploy` would upload.
describe('bundle sizes, as the bench reports them', () => {
  let bundles: BundleSize[] = [];
  let services = new Map<string, Set<string>>();
  beforeAll(() => {
    bundles = measureBundleSizesQuietly();
    services = servicesByEntry();
  });

  it('measures one bundle per function of the app, largest first', () => {
    expect(bundles.map((b) => b.entry).sort()).toEqual([...services.keys()].sort());
    expect(bundles.map((b) => b.bytes)).toEqual(bundles.map((b) => b.bytes).sort((a, b) => b - a));
    // Every handler bundles at least zod and the logger: a smaller file would be a stub, not the bundle.
    for (const b of bundles) expect(b.bytes, b.entry).toBeGreaterThan(100_000);
  });

  it('keeps every bundle under the 1 MB goal', () => {
    for (const b of bundles) expect(b.bytes, b.entry).toBeLessThan(BUNDLE_GOAL_BYTES);
  });

  // Each SDK client is a large share of a bundle and is parsed on every cold start, so a function carries
  // only the clients of the services its role lets it call: one that sends no email has no SES client.
  it('bundles an AWS SDK client only into a function whose role may call that service', () => {
    const mailers = bundles.filter((b) => b.packages.includes('@aws-sdk/client-sesv2')).map((b) => b.entry);
    // The notification functions send email, so the package list is read, not empty.
    expect(mailers.sort()).toEqual([
      'functions/campaigns/notify-campaign-team.ts',
      'functions/campaigns/send-letters.ts',
      'functions/leads/notify-manager-of-enquiry.ts',
      'functions/leads/notify-manager.ts',
      'functions/managers/notify-head-of-unit.ts',
      'functions/open-days/registrations.ts',
      'functions/open-days/run-open-day.ts',
      'functions/open-days/sweep-open-days.ts',
      'functions/referrals/record-referral-conversion.ts',
    ]);
    for (const b of bundles) {
      const clients = b.packages.filter((p) => p.startsWith('@aws-sdk/client-'));
      const unneeded = clients.filter((c) => !services.get(b.entry)?.has(CLIENT_SERVICES[c] ?? c));
      expect(unneeded, b.entry).toEqual([]);
    }
  });
});
