import aslValidator from 'asl-validator';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildAttractApp, STATEFUL_STACK, STATELESS_STACK } from '#infra/attract-app.ts';
import { describeLocalApp } from '#local/assembly.ts';

// Bundling is skipped: these tests check the synthesized definition, not the esbuild output.
const app = buildAttractApp({ context: { 'aws:cdk:bundling-stacks': [] }, nag: false, validation: false });
const stateful = Template.fromStack(app.node.findChild(STATEFUL_STACK) as never);
const stateless = Template.fromStack(app.node.findChild(STATELESS_STACK) as never);

describe('stateful stack', () => {
  it('keeps leads safe: point-in-time recovery, deletion protection, retained, stream for the outbox', () => {
    stateful.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      }),
    });
  });

  it('has one staff group per role', () => {
    for (const role of ['campaign_manager', 'compliance_officer', 'personal_manager', 'head_of_unit']) {
      stateful.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: role });
    }
  });
});

describe('stateless stack', () => {
  it('runs every function on Node 24, arm64, with tracing and the handler it names', () => {
    // CDK's own custom-resource functions are not ours; ours carry the handler they run.
    const functions = Object.values(stateless.findResources('AWS::Lambda::Function')).filter(
      (fn) => fn.Metadata?.['attract:entry'],
    );
    expect(functions.length).toBeGreaterThanOrEqual(9);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
      });
      expect(fn.Metadata['attract:entry']).toMatch(/^functions\/.+\.ts$/);
    }
  });

  it('exposes the lead routes: capture is public, reading needs a staff token', () => {
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'POST /v1/leads',
      AuthorizationType: 'NONE',
    });
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'GET /openapi.json',
      AuthorizationType: 'NONE',
    });
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'GET /v1/leads/{leadId}',
      AuthorizationType: 'JWT',
    });
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT' });
  });

  it('starts one workflow per new lead from the stream, reporting partial failures, with a dead-letter queue', () => {
    stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              eventName: ['INSERT'],
              dynamodb: { NewImage: { type: { S: ['Lead'] } } },
            }),
          },
        ],
      },
    });
  });

  it('gives every rule target a dead-letter queue and alarms on every dead-letter queue and failed execution', () => {
    for (const rule of Object.values(stateless.findResources('AWS::Events::Rule'))) {
      for (const target of rule.Properties.Targets) expect(target.DeadLetterConfig?.Arn).toBeDefined();
    }
    const queues = Object.keys(stateless.findResources('AWS::SQS::Queue'));
    const alarms = Object.values(stateless.findResources('AWS::CloudWatch::Alarm'));
    for (const queue of queues) {
      expect(alarms.some((a) => JSON.stringify(a.Properties.Dimensions ?? []).includes(queue))).toBe(true);
    }
    expect(alarms.some((a) => a.Properties.MetricName === 'ExecutionsFailed')).toBe(true);
  });

  it('logs state machine executions without their data (it holds personal data)', () => {
    stateless.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
      TracingConfiguration: { Enabled: true },
    });
  });
});

describe('state machines', () => {
  // The same resolver the local runtime uses turns CloudFormation references into concrete ARNs.
  const machines = describeLocalApp(
    [stateful.toJSON(), stateless.toJSON()] as never,
    'eu-central-1',
  ).stateMachines;

  it.each(machines.map((m) => [m.name, m.definition] as const))(
    '%s is valid ASL, JSONPath only, with a timeout on every task',
    (_name, definition) => {
      const { isValid, errorsText } = aslValidator(structuredClone(definition) as never, {
        checkPaths: true,
        checkArn: true,
      });
      expect(errorsText('\n')).toBe('');
      expect(isValid).toBe(true);
      expect(definition.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
      const states = Object.values(
        definition.States as Record<
          string,
          { Type: string; TimeoutSeconds?: number; TimeoutSecondsPath?: string }
        >,
      );
      // A fixed timeout, or one the state carries (an acceptance wait: the manager's own due time).
      for (const state of states.filter((s) => s.Type === 'Task')) {
        if (state.TimeoutSecondsPath !== undefined) expect(state.TimeoutSecondsPath).toMatch(/^\$\./);
        else expect(state.TimeoutSeconds).toBeGreaterThan(0);
      }
      expect(definition.TimeoutSeconds).toBeGreaterThan(0);
    },
  );
});

describe('cdk-nag AwsSolutions', () => {
  let violations: { ruleName: string; severity?: string; violatingResources: unknown[] }[] = [];
  beforeAll(() => {
    const report = new AwsSolutionsChecks(app).validateScope(app) as unknown as {
      violations: typeof violations;
    };
    violations = report.violations;
  });

  it('has no unacknowledged errors', () => {
    const errors = violations.filter((v) => (v.severity ?? 'error') === 'error');
    expect(errors.map((v) => `${v.ruleName}: ${JSON.stringify(v.violatingResources)}`)).toEqual([]);
  });

  it('gives every acknowledgement a reason', () => {
    const acknowledged = app.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules'))
      .flatMap((m) => Object.entries(m.data as Record<string, unknown>));
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledged) expect(JSON.stringify(reason).length, id).toBeGreaterThan(40);
  });
});

describe('the acceptance SLA setting', () => {
  const statelessWith = (context: Record<string, unknown>) => {
    const built = buildAttractApp({
      context: { 'aws:cdk:bundling-stacks': [], ...context },
      nag: false,
      validation: false,
    });
    return built.node.findChild(STATELESS_STACK) as never;
  };

  it('warns at synth that a drill or burst SLA is not for staff, and says nothing of the standard one', () => {
    for (const sla of ['drill', 'burst']) {
      Annotations.fromStack(statelessWith({ 'attract:acceptanceSla': sla })).hasWarning(
        '*',
        Match.stringLikeRegexp(`attract:acceptanceSla is ${sla}`),
      );
    }
    Annotations.fromStack(statelessWith({})).hasNoWarning('*', Match.stringLikeRegexp('acceptanceSla'));
  });
});
