import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildAttractApp, STATEFUL_STACK } from '#infra/attract-app.ts';

// Bundling is skipped: these tests check the synthesized definition, not the esbuild output.
function statefulStack(settings: Record<string, string> = {}) {
  const app = buildAttractApp({
    context: { 'aws:cdk:bundling-stacks': [], ...settings },
    nag: false,
    validation: false,
  });
  return app.node.findChild(STATEFUL_STACK) as never;
}
const stack = statefulStack();
const directory = Template.fromStack(stack);
const clients = Object.values(directory.findResources('AWS::Cognito::UserPoolClient'));
const consoleClient = (template: Template) => {
  const [client, ...others] = Object.values(template.findResources('AWS::Cognito::UserPoolClient'));
  expect(others).toEqual([]);
  return client?.Properties;
};

describe('staff directory (Cognito)', () => {
  it("keeps a manager's directory id changeable by an admin only: no app client may write it", () => {
    directory.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith([Match.objectLike({ Name: 'managerId', Mutable: true })]),
    });
    expect(clients.length).toBeGreaterThan(0);
    for (const client of clients) {
      // An unset or empty list lets a user rewrite their standard attributes: every client names its own.
      expect(client.Properties.WriteAttributes?.length).toBeGreaterThan(0);
      expect(client.Properties.WriteAttributes).not.toContain('custom:managerId');
      expect(client.Properties.WriteAttributes).not.toContain('email');
    }
  });

  it('lets staff change nothing about themselves but their language', () => {
    expect(consoleClient(directory).WriteAttributes).toEqual(['locale']);
  });

  it('puts in the ID token what the console shows and the API authorizes on', () => {
    expect(consoleClient(directory).ReadAttributes).toEqual(
      expect.arrayContaining(['custom:managerId', 'email', 'email_verified', 'name', 'locale']),
    );
  });

  it('signs the console in with the code flow and PKCE only: public client, no implicit flow', () => {
    const client = consoleClient(directory);
    expect(client.AllowedOAuthFlows).toEqual(['code']);
    expect(client.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(client.GenerateSecret).toBe(false);
    expect(client.SupportedIdentityProviders).toEqual(['COGNITO']);
  });

  it('asks for openid, email and profile only', () => {
    expect([...consoleClient(directory).AllowedOAuthScopes].sort()).toEqual(['email', 'openid', 'profile']);
  });

  it('sends sign-in and sign-out to the local console by default, never to a placeholder, and says so', () => {
    const client = consoleClient(directory);
    expect(client.CallbackURLs).toEqual(['http://localhost:3000/console/callback']);
    expect(client.LogoutURLs).toEqual(['http://localhost:3000/console/']);
    Annotations.fromStack(stack).hasWarning(
      '*',
      Match.stringLikeRegexp('attract:consoleUrls names only localhost'),
    );
  });

  it('takes the console addresses from attract:consoleUrls', () => {
    const configured = statefulStack({
      'attract:consoleUrls': 'https://attract.bank.example/console/, https://attract-dr.bank.example/console',
    });
    const client = consoleClient(Template.fromStack(configured));
    expect(client.CallbackURLs).toEqual([
      'https://attract.bank.example/console/callback',
      'https://attract-dr.bank.example/console/callback',
    ]);
    expect(client.LogoutURLs).toEqual([
      'https://attract.bank.example/console/',
      'https://attract-dr.bank.example/console/',
    ]);
    Annotations.fromStack(configured).hasNoWarning('*', Match.stringLikeRegexp('attract:consoleUrls'));
  });

  it('refuses a console address Cognito would refuse, naming the setting', () => {
    for (const url of [
      'http://attract.bank.example/console',
      'https://attract.bank.example/#/console',
      'nope',
    ])
      expect(() => statefulStack({ 'attract:consoleUrls': url })).toThrow(/attract:consoleUrls: /);
  });
});
