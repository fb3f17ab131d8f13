import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { buildAttractApp, STATELESS_STACK } from '#infra/attract-app.ts';
import { describeLocalApp, LOCAL_ACCOUNT, synthesizeTemplates } from '#local/assembly.ts';
import { LocalIam } from '#local/iam.ts';
import { ENV } from '#shared/environment.ts';

// The rule, function, queues and alarm as synthesized, and the function's role as the local runtime enforces it.
const outdir = mkdtempSync(path.join(tmpdir(), 'attract-unit-alerts-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));
const app = describeLocalApp(synthesizeTemplates({}, outdir), 'eu-central-1');
const iam = new LocalIam(app.roles);
const table = app.tables[0]?.TableName ?? '';
const tableArn = `arn:aws:dynamodb:eu-central-1:${LOCAL_ACCOUNT}:table/${table}`;
const identity = (name: string) => `arn:aws:ses:eu-central-1:${LOCAL_ACCOUNT}:identity/${name}`;
const notifier = app.functions.find((f) => f.logicalId.startsWith('ManagerUnitNotifyHeadOfUnit'));
const allowed = async (action: string, resource: string) =>
  (await iam.authorize({ roleArn: notifier?.roleArn ?? '', sessionName: 'test' }, action, [resource]))
    .allowed;

const stateless = (context: Record<string, unknown> = {}) =>
  Template.fromStack(
    buildAttractApp({
      context: { 'aws:cdk:bundling-stacks': [], ...context },
      nag: false,
      validation: false,
    }).node.findChild(STATELESS_STACK) as never,
  );
const alarmsOf = (template: Template) =>
  Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);

describe("the head of unit's alerts", () => {
  it('hands every LeadEscalated on the bus to NotifyHeadOfUnit, with retries and a dead-letter queue', () => {
    expect(notifier?.entry).toBe('functions/managers/notify-head-of-unit.ts');
    const rules = app.rules.filter((r) => r.targets.some((t) => t.arn === notifier?.arn));
    expect(rules).toHaveLength(1);
    const [rule] = rules;
    expect(rule?.eventBusName).toBe('attract');
    expect(rule?.eventPattern).toEqual({ source: ['attract.leads'], 'detail-type': ['LeadEscalated'] });
    const [target] = rule?.targets ?? [];
    expect(target?.maximumRetryAttempts).toBe(8);
    expect(app.queues.map((q) => q.arn)).toContain(target?.deadLetterArn);
    // Invoked asynchronously: a function that still fails after Lambda's two retries lands in a queue too.
    expect(notifier?.asyncInvoke.maximumRetryAttempts).toBe(2);
    expect(app.queues.map((q) => q.arn)).toContain(notifier?.asyncInvoke.onFailureArn);
    expect(notifier?.asyncInvoke.onFailureArn).not.toBe(target?.deadLetterArn);
  });

  it('writes to the unit mailbox in its language, by default a demo address in Russian', () => {
    expect(notifier?.environment).toMatchObject({
      [ENV.unitMailbox]: 'pm-unit@bank.example',
      [ENV.unitMailboxLanguage]: 'ru',
      [ENV.senderEmail]: 'attract@bank.example',
    });
    expect(notifier?.environment[ENV.apiUrl]).toMatch(/^http/);
  });

  it('lets it read the lead and claim and record its notice, send as the sender only, nothing else', async () => {
    for (const action of ['GetItem', 'UpdateItem', 'PutItem']) {
      expect(await allowed(`dynamodb:${action}`, tableArn)).toBe(true);
    }
    for (const action of ['Query', 'Scan', 'DeleteItem', 'BatchWriteItem']) {
      expect(await allowed(`dynamodb:${action}`, tableArn)).toBe(false);
    }
    expect(await allowed('dynamodb:Query', `${tableArn}/index/gsi3`)).toBe(false);
    expect(await allowed('ses:SendEmail', identity('attract@bank.example'))).toBe(true);
    expect(await allowed('ses:SendEmail', identity('bank.example'))).toBe(true);
    expect(await allowed('ses:SendEmail', identity('other@elsewhere.example'))).toBe(false);
    const bus = `arn:aws:events:eu-central-1:${LOCAL_ACCOUNT}:event-bus/attract`;
    expect(await allowed('events:PutEvents', bus)).toBe(false);
    expect(await allowed('secretsmanager:GetSecretValue', '*')).toBe(false);
    expect(await allowed('states:StartExecution', app.stateMachines[0]?.arn ?? '')).toBe(false);
  });

  it('raises an alarm on each dead-letter queue, and when the waiting list grows by the threshold in an hour', () => {
    const template = stateless();
    const alarms = alarmsOf(template);
    const names = alarms.map((a) => a.AlarmName);
    expect(names).toContain('AttractStateless-NotifyHeadOfUnitDlqDepth');
    expect(names).toContain('AttractStateless-NotifyHeadOfUnitFailuresDepth');
    const growing = alarms.find((a) => a.AlarmName === 'AttractStateless-WaitingLeadsGrow');
    expect(growing).toMatchObject({
      Namespace: 'AWS/Events',
      MetricName: 'TriggeredRules',
      Statistic: 'Sum',
      Period: 3600,
      EvaluationPeriods: 1,
      Threshold: 10,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    // The rule's metrics on a custom bus carry the bus's name and the rule's.
    const [ruleId] = Object.keys(
      template.findResources('AWS::Events::Rule', {
        Properties: { EventPattern: { 'detail-type': ['LeadEscalated'] } },
      }),
    );
    expect(growing?.Dimensions).toEqual(
      expect.arrayContaining([
        { Name: 'RuleName', Value: { Ref: ruleId } },
        { Name: 'EventBusName', Value: expect.anything() },
      ]),
    );
    expect(growing?.AlarmActions).toHaveLength(1);
  });

  it('takes the mailbox, its language and the threshold from the deployment settings', () => {
    const template = stateless({
      'attract:unitMailbox': 'head.sme@yourbank.example',
      'attract:unitMailboxLanguage': 'en',
      'attract:waitingLeadsAlarmPerHour': '25',
    });
    const [fn] = Object.values(
      template.findResources('AWS::Lambda::Function', {
        Metadata: { 'attract:entry': 'functions/managers/notify-head-of-unit.ts' },
      }),
    );
    expect(fn?.Properties.Environment.Variables).toMatchObject({
      [ENV.unitMailbox]: 'head.sme@yourbank.example',
      [ENV.unitMailboxLanguage]: 'en',
    });
    const growing = alarmsOf(template).find((a) => a.AlarmName === 'AttractStateless-WaitingLeadsGrow');
    expect(growing?.Threshold).toBe(25);
    expect(() => stateless({ 'attract:unitMailboxLanguage': 'de' })).toThrow(/attract:unitMailboxLanguage/);
  });
});
