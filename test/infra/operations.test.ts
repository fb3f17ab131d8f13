import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildAttractApp, STATELESS_STACK } from '#infra/attract-app.ts';

// Bundling is skipped: these tests check the synthesized definition, not the esbuild output.
const app = buildAttractApp({ context: { 'aws:cdk:bundling-stacks': [] }, nag: false, validation: false });
const stateless = Template.fromStack(app.node.findChild(STATELESS_STACK) as never);

type Statement = {
  Sid?: string;
  Effect: string;
  Principal?: { Service?: string };
  Action: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
};
const only = <T>(record: Record<string, T>): [string, T] => {
  const entries = Object.entries(record);
  expect(entries).toHaveLength(1);
  return entries[0] as [string, T];
};
const [topicId, topic] = only(stateless.findResources('AWS::SNS::Topic'));
const [, topicPolicy] = only(stateless.findResources('AWS::SNS::TopicPolicy'));
const keyId = topic.Properties.KmsMasterKeyId?.['Fn::GetAtt']?.[0] as string;
const key = stateless.toJSON().Resources[keyId];
const forCloudWatch = (statements: Statement[]) =>
  statements.filter((s) => s.Effect === 'Allow' && s.Principal?.Service === 'cloudwatch.amazonaws.com');

/** The alarm names a grant admits: the literal tail of its `aws:SourceArn` pattern, e.g. `AttractStateless-`. */
function alarmNamePrefix(statement: Statement): string {
  const arn = JSON.stringify(statement.Condition?.ArnLike?.['aws:SourceArn']);
  const match = /:alarm:([A-Za-z0-9-]+)\*"/.exec(arn);
  expect(match, arn).not.toBeNull();
  return match?.[1] ?? '';
}

describe('operational alerts reach people', () => {
  it('encrypts the alerts topic with a customer-managed key of this stack, rotated, deleted with the topic', () => {
    expect(key?.Type).toBe('AWS::KMS::Key');
    expect(key.Properties).toMatchObject({ EnableKeyRotation: true, PendingWindowInDays: 7 });
    expect(key.DeletionPolicy).toBe('Delete');
  });

  it("lets CloudWatch use the key for this account's alarms only", () => {
    const [grant, ...others] = forCloudWatch(key.Properties.KeyPolicy.Statement);
    expect(others).toEqual([]);
    expect(grant?.Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    expect(grant?.Condition?.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
    expect(alarmNamePrefix(grant as Statement)).toBe(`${STATELESS_STACK}-`);
  });

  it("lets CloudWatch publish to the topic for this account's alarms only, over TLS", () => {
    const statements = topicPolicy.Properties.PolicyDocument.Statement as Statement[];
    const [grant, ...others] = forCloudWatch(statements);
    expect(others).toEqual([]);
    expect(grant?.Action).toBe('sns:Publish');
    expect(grant?.Condition?.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
    expect(alarmNamePrefix(grant as Statement)).toBe(`${STATELESS_STACK}-`);
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    expect(topicPolicy.Properties.Topics).toEqual([{ Ref: topicId }]);
  });

  it('names every alarm that notifies the topic so that both grants admit it', () => {
    const keyPrefix = alarmNamePrefix(forCloudWatch(key.Properties.KeyPolicy.Statement)[0] as Statement);
    const alarms = Object.values(
      stateless.findResources('AWS::CloudWatch::Alarm', {
        Properties: { AlarmActions: Match.arrayWith([{ Ref: topicId }]) },
      }),
    );
    expect(alarms.length).toBeGreaterThanOrEqual(5);
    for (const alarm of alarms) expect(alarm.Properties.AlarmName).toMatch(new RegExp(`^${keyPrefix}\\w+$`));
  });
});
