import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildAttractApp, STATELESS_STACK } from '#infra/attract-app.ts';
import { contextFromEnvironment } from '#local/runtime.ts';

const statelessWith = (context: Record<string, unknown>) => {
  // Bundling is skipped: these tests check the synthesized definition, not the esbuild output.
  const app = buildAttractApp({
    context: { 'aws:cdk:bundling-stacks': [], ...context },
    nag: false,
    validation: false,
  });
  return Template.fromStack(app.node.findChild(STATELESS_STACK) as never);
};

describe('the HTTP API answers browsers from the configured origins only', () => {
  it('configures CORS from attract:allowedOrigins with only what the form and staff pages send', () => {
    const template = statelessWith({
      'attract:allowedOrigins': 'https://www.bank.example, https://bank.example',
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: {
        AllowOrigins: ['https://www.bank.example', 'https://bank.example'],
        AllowMethods: ['GET', 'POST', 'PUT'],
        AllowHeaders: ['content-type', 'idempotency-key', 'authorization'],
        ExposeHeaders: ['retry-after'],
        MaxAge: 3600,
      },
    });
    const [api] = Object.values(template.findResources('AWS::ApiGatewayV2::Api'));
    expect(api?.Properties.CorsConfiguration.AllowCredentials).toBeUndefined();
  });

  it('takes a list from cdk.json and, by default, the local example page origins', () => {
    const listed = statelessWith({ 'attract:allowedOrigins': ['https://www.bank.example'] });
    listed.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: { AllowOrigins: ['https://www.bank.example'] },
    });
    statelessWith({}).hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: { AllowOrigins: ['http://127.0.0.1:3000', 'http://localhost:3000'] },
    });
  });

  it('refuses what is not an origin: a path, a trailing slash, a wildcard, another scheme', () => {
    for (const bad of [
      'https://bank.example/form',
      'https://bank.example/',
      '*',
      'ftp://bank.example',
      ' , ',
    ]) {
      expect(() => statelessWith({ 'attract:allowedOrigins': bad }), bad).toThrow(/attract:allowedOrigins/);
    }
  });

  it('reads ATTRACT_ALLOWED_ORIGINS locally', () => {
    expect(contextFromEnvironment({ ATTRACT_ALLOWED_ORIGINS: 'https://www.bank.example' })).toEqual({
      'attract:allowedOrigins': 'https://www.bank.example',
    });
  });
});

const variablesOf = (template: Template, description: string) => {
  const [fn] = Object.values(
    template.findResources('AWS::Lambda::Function', {
      Properties: { Description: Match.stringLikeRegexp(description) },
    }),
  );
  return fn?.Properties.Environment.Variables as Record<string, unknown>;
};
const captureVariables = (template: Template) => variablesOf(template, '^POST /v1/leads');

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

  it("passes them to each function that keeps a client's address with consent evidence or a withdrawal", () => {
    const template = statelessWith({ 'attract:trustedProxies': '10.0.0.0/8' });
    for (const description of [
      '^POST /v1/open-days/\\{id\\}/registrations',
      '^GET and POST /v1/consents/withdraw/',
      '^GET and POST /v1/unsubscribe/',
    ]) {
      expect(variablesOf(template, description)).toMatchObject({ ATTRACT_TRUSTED_PROXIES: '10.0.0.0/8' });
    }
  });

  it('refuses to synthesize with a proxy that is not an address or CIDR block', () => {
    expect(() => statelessWith({ 'attract:trustedProxies': 'proxy.bank.example' })).toThrow(
      /attract:trustedProxies: must be IP addresses or CIDR blocks/,
    );
  });
});
