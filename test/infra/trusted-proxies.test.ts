import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildAttractApp, STATELESS_STACK } from '#infra/attract-app.ts';
import { contextFromEnvironment } from '#local/runtime.ts';

const statelessWith = (context: Record<string, unknown>) => {
  const app = buildAttractApp({
    context: { 'aws:cdk:bundling-stacks': [], ...context },
    nag: false,
    validation: false,
  });
  return Template.fromStack(app.node.findChild(STATELESS_STACK) as never);
};

const captureVariables = (template: Template) => {
  const [capture] = Object.values(
    template.findResources('AWS::Lambda::Function', {
      Properties: { Description: Match.stringLikeRegexp('^POST /v1/leads') },
    }),
  );
  return capture?.Properties.Environment.Variables as Record<string, unknown>;
};

describe('X-Forwarded-For is believed only from proxies the bank configured', () => {
  it('gives CaptureLead no trusted proxies by default, so the header is never read', () => {
    expect(captureVariables(statelessWith({}))).not.toHaveProperty('ATTRACT_TRUSTED_PROXIES');
  });

  it('passes attract:trustedProxies (or ATTRACT_TRUSTED_PROXIES locally) to CaptureLead', () => {
    const template = statelessWith(
      contextFromEnvironment({ ATTRACT_TRUSTED_PROXIES: '10.0.0.0/8,192.0.2.10' }),
    );
    expect(captureVariables(template)).toMatchObject({ ATTRACT_TRUSTED_PROXIES: '10.0.0.0/8,192.0.2.10' });
  });

  it('refuses to synthesize with a proxy that is not an address or CIDR block', () => {
    expect(() => statelessWith({ 'attract:trustedProxies': 'proxy.bank.example' })).toThrow(
      /attract:trustedProxies: must be IP addresses or CIDR blocks/,
    );
  });
});
