import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { afterAll, describe, expect, it } from 'vitest';
import { SES_DETAIL_TYPES } from '#events/ses-events.ts';
import { buildAttractApp, STATELESS_STACK } from '#infra/attract-app.ts';
import { LETTER_CONFIGURATION_SET, LetterSending } from '#infra/constructs/letter-sending.ts';
import { Operations } from '#infra/constructs/operations.ts';
import { describeLocalApp, LOCAL_ACCOUNT, synthesizeTemplates } from '#local/assembly.ts';
import { LocalIam } from '#local/iam.ts';
import { ENV } from '#shared/environment.ts';

// The configuration set, its destination and the rule as synthesized, and the function's role as enforced locally.
const outdir = mkdtempSync(path.join(tmpdir(), 'attract-letter-sending-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));
const app = describeLocalApp(synthesizeTemplates({}, outdir), 'eu-central-1');
const template = Template.fromStack(
  buildAttractApp({
    context: { 'aws:cdk:bundling-stacks': [] },
    nag: false,
    validation: false,
  }).node.findChild(STATELESS_STACK) as never,
);
const recorder = app.functions.find((f) => f.entry === 'functions/letters/record-letter-event.ts');

describe("the letters' sending and their events", () => {
  it('has a configuration set with reputation metrics, sending enabled and TLS required, by a fixed name', () => {
    template.resourceCountIs('AWS::SES::ConfigurationSet', 1);
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      Name: LETTER_CONFIGURATION_SET,
      ReputationOptions: { ReputationMetricsEnabled: true },
      SendingOptions: { SendingEnabled: true },
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
    });
  });

  it('publishes every sending event the letters need to the default bus, as SES requires', () => {
    expect(app.configurationSets).toEqual([
      {
        name: LETTER_CONFIGURATION_SET,
        eventBridge: [
          {
            busArn: `arn:aws:events:eu-central-1:${LOCAL_ACCOUNT}:event-bus/default`,
            eventTypes: expect.arrayContaining([
              'Send',
              'Reject',
              'Bounce',
              'Complaint',
              'Delivery',
              'DeliveryDelay',
              'Open',
              'Click',
              'Rendering Failure',
            ]),
          },
        ],
      },
    ]);
    expect(app.configurationSets[0]?.eventBridge[0]?.eventTypes).toHaveLength(9);
  });

  it("hands the set's events on the default bus to RecordLetterEvent, with retries and a dead-letter queue each way", () => {
    const rules = app.rules.filter((r) => r.targets.some((t) => t.arn === recorder?.arn));
    expect(rules).toHaveLength(1);
    const [rule] = rules;
    expect(rule?.eventBusName).toBe('default');
    expect(rule?.eventPattern).toEqual({
      source: ['aws.ses'],
      'detail-type': SES_DETAIL_TYPES,
      detail: { mail: { tags: { 'ses:configuration-set': [LETTER_CONFIGURATION_SET] } } },
    });
    const [target] = rule?.targets ?? [];
    expect(target?.maximumRetryAttempts).toBe(8);
    expect(app.queues.map((q) => q.arn)).toContain(target?.deadLetterArn);
    expect(recorder?.asyncInvoke.maximumRetryAttempts).toBe(2);
    expect(app.queues.map((q) => q.arn)).toContain(recorder?.asyncInvoke.onFailureArn);
    const names = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => a.Properties.AlarmName,
    );
    expect(names).toEqual(
      expect.arrayContaining([
        'AttractStateless-RecordLetterEventDlqDepth',
        'AttractStateless-RecordLetterEventFailuresDepth',
      ]),
    );
  });

  it("lets RecordLetterEvent read the key, mark the suppression list and the campaign's records, nothing else", async () => {
    const iam = new LocalIam(app.roles);
    const allowed = async (action: string, resource: string) =>
      (await iam.authorize({ roleArn: recorder?.roleArn ?? '', sessionName: 'test' }, action, [resource]))
        .allowed;
    const tableArn = `arn:aws:dynamodb:eu-central-1:${LOCAL_ACCOUNT}:table/${app.tables[0]?.TableName}`;
    for (const action of ['GetItem', 'PutItem', 'UpdateItem']) {
      expect(await allowed(`dynamodb:${action}`, tableArn)).toBe(true);
    }
    for (const action of ['Query', 'Scan', 'BatchGetItem', 'BatchWriteItem', 'DeleteItem']) {
      expect(await allowed(`dynamodb:${action}`, tableArn)).toBe(false);
    }
    const secretArn = recorder?.environment[ENV.keysSecretArn] ?? '';
    expect(await allowed('secretsmanager:GetSecretValue', secretArn)).toBe(true);
    expect(
      await allowed('ses:SendEmail', `arn:aws:ses:eu-central-1:${LOCAL_ACCOUNT}:identity/bank.example`),
    ).toBe(false);
  });

  it("gives a sender the set's name and SendEmail on the set, and the quota reader GetAccount", () => {
    const scope = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Senders');
    const table = new Table(scope, 'Table', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
    const sending = new LetterSending(scope, 'Sending', {
      table,
      keySecret: new Secret(scope, 'Keys'),
      operations: new Operations(scope, 'Operations', { alarmEmail: '' }),
    });
    const sender = new LambdaFunction(scope, 'SendLetters', {
      runtime: Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: Code.fromInline('export const handler = async () => {};'),
      description: 'a sender',
    });
    sending.grantSend(sender);
    sending.grantReadQuota(sender);
    const senders = Template.fromStack(scope);
    const [fn] = Object.values(
      senders.findResources('AWS::Lambda::Function', { Properties: { Description: 'a sender' } }),
    );
    expect(fn?.Properties.Environment.Variables[ENV.letterConfigurationSet]).toEqual({
      Ref: expect.stringMatching(/^SendingLetters/),
    });
    const statements = Object.values(senders.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes('SendLetters'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toContainEqual(expect.objectContaining({ Action: 'ses:GetAccount', Resource: '*' }));
    const send = statements.find((s) => s.Action === 'ses:SendEmail');
    expect(JSON.stringify(send?.Resource)).toContain(':configuration-set/');
  });
});
