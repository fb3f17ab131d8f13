import { buildAttractApp } from '#infra/attract-app.ts';
import { ENTRY_METADATA } from '#infra/constructs/attract-function.ts';
import { corsFromTemplate } from './cors.ts';
import type { LocalApp } from './local-app.ts';
import { type SecretIdentities, SecretStore, secretSource } from './secrets-manager.ts';
import { configurationSetsFromTemplate } from './ses-account.ts';
import type { RuleTarget } from './target-delivery.ts';

/**
 * Reads what `cdk synth` produced and describes it for the local runtime: tables, functions and their
 * environment, HTTP routes and their authorizers, state machines, stream mappings, bus rules, queues and
 * SES configuration sets.
 * Nothing here restates the infrastructure; it is all resolved from the CloudFormation templates.
 */
export const LOCAL_ACCOUNT = '000000000000';

type Template = {
  Resources: Record<string, Resource>;
  Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
};
/** CloudFormation properties are untyped JSON; every use below converts with String(), Number() or JSON.parse. */
// biome-ignore lint/suspicious/noExplicitAny: see above
type Json = any;
type Resource = { Type: string; Properties?: Record<string, Json>; Metadata?: Record<string, unknown> };

export type {
  LocalApp,
  LocalEventRule,
  LocalFunction,
  LocalRole,
  LocalRoute,
  LocalSchedule,
  LocalStreamMapping,
  PolicyDocument,
} from './local-app.ts';

/** Synthesizes the CDK app in-process, without bundling or cdk-nag, and returns its templates. */
export function synthesizeTemplates(context: Record<string, unknown>, outdir: string): Template[] {
  const app = buildAttractApp({
    context: { ...context, 'aws:cdk:bundling-stacks': [] },
    outdir,
    nag: false,
    validation: false,
  });
  return app.synth().stacks.map((stack) => stack.template as Template);
}

/**
 * `secretIdentities`: the names and ARNs of the secrets (kept ones with a data directory; new by default).
 * `apiEndpoint`: where the local HTTP API listens, which an HTTP API's `ApiEndpoint` resolves to.
 */
export function describeLocalApp(
  templates: Template[],
  region: string,
  secretIdentities: SecretIdentities = SecretStore.open().identities(region, LOCAL_ACCOUNT),
  apiEndpoint = 'http://127.0.0.1',
): LocalApp {
  const resources = new Map<string, Resource>();
  for (const t of templates) for (const [id, r] of Object.entries(t.Resources)) resources.set(id, r);
  const arn = (service: string, rest: string) => `arn:aws:${service}:${region}:${LOCAL_ACCOUNT}:${rest}`;
  const secret = (id: string, name = resources.get(id)?.Properties?.Name) =>
    secretIdentities(id, name === undefined ? undefined : String(resolve(name)));

  const ref = (id: string): string => {
    const type = resources.get(id)?.Type;
    switch (type) {
      case 'AWS::StepFunctions::StateMachine':
        return arn('states', `stateMachine:${id}`);
      case 'AWS::SQS::Queue':
        return `http://sqs.local/${LOCAL_ACCOUNT}/${id}`;
      case 'AWS::Events::EventBus':
        return String(resources.get(id)?.Properties?.Name ?? id);
      case 'AWS::Cognito::UserPool':
        return `${region}_${id}`;
      case 'AWS::SecretsManager::Secret':
        return secret(id).arn;
      case 'AWS::SES::ConfigurationSet':
        return String(resources.get(id)?.Properties?.Name ?? id);
      // A bucket's name: lower-case, as S3 requires it.
      case 'AWS::S3::Bucket':
        return id.toLowerCase();
      default:
        return id;
    }
  };
  const getAtt = (id: string, attribute: string): string => {
    const type = resources.get(id)?.Type;
    if (type === 'AWS::Lambda::Function' && attribute === 'Arn') return arn('lambda', `function:${id}`);
    if (type === 'AWS::DynamoDB::Table' && attribute === 'Arn') return arn('dynamodb', `table/${id}`);
    if (type === 'AWS::DynamoDB::Table' && attribute === 'StreamArn')
      return arn('dynamodb', `table/${id}/stream/local`);
    if (type === 'AWS::SQS::Queue' && attribute === 'Arn') return arn('sqs', id);
    if (type === 'AWS::SQS::Queue' && attribute === 'QueueName') return id;
    if (type === 'AWS::Events::EventBus' && attribute === 'Arn') return arn('events', `event-bus/${ref(id)}`);
    if (type === 'AWS::Events::EventBus' && attribute === 'Name') return ref(id);
    if (type === 'AWS::Logs::LogGroup' && attribute === 'Arn') return arn('logs', `log-group:${id}:*`);
    if (type === 'AWS::StepFunctions::StateMachine' && attribute === 'Name') return id;
    if (type === 'AWS::Cognito::UserPool' && attribute === 'Arn')
      return arn('cognito-idp', `userpool/${ref(id)}`);
    if (type === 'AWS::Cognito::UserPool' && attribute === 'ProviderURL')
      return `cognito-idp.${region}.amazonaws.com/${ref(id)}`;
    if (type === 'AWS::IAM::Role' && attribute === 'Arn') return `arn:aws:iam::${LOCAL_ACCOUNT}:role/${id}`;
    if (type === 'AWS::SNS::Topic' && attribute === 'TopicArn') return arn('sns', id);
    if (type === 'AWS::SecretsManager::Secret' && attribute === 'Id') return ref(id);
    if (type === 'AWS::ApiGatewayV2::Api' && attribute === 'ApiEndpoint') return apiEndpoint;
    if (type === 'AWS::S3::Bucket' && attribute === 'Arn') return `arn:aws:s3:::${ref(id)}`;
    return `${id}.${attribute}`;
  };
  const pseudo: Record<string, string> = {
    'AWS::Region': region,
    'AWS::AccountId': LOCAL_ACCOUNT,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': 'local',
    'AWS::NoValue': '',
  };

  const exports = new Map<string, unknown>();
  for (const t of templates) {
    for (const output of Object.values(t.Outputs ?? {})) {
      if (output.Export) exports.set(String(resolve(output.Export.Name)), output.Value);
    }
  }
  function resolve(value: unknown): Json {
    if (Array.isArray(value)) return value.map(resolve);
    if (value === null || typeof value !== 'object') return value;
    const obj = value as Record<string, unknown>;
    if ('Ref' in obj) return pseudo[String(obj.Ref)] ?? ref(String(obj.Ref));
    if ('Fn::GetAtt' in obj) {
      const [id, attribute] = obj['Fn::GetAtt'] as [string, string];
      return getAtt(id, attribute);
    }
    if ('Fn::Join' in obj) {
      const [separator, parts] = obj['Fn::Join'] as [string, unknown[]];
      return resolve(parts).join(separator);
    }
    if ('Fn::Select' in obj) {
      const [index, list] = obj['Fn::Select'] as [number, unknown];
      return resolve(list)[index];
    }
    if ('Fn::Split' in obj) {
      const [separator, source] = obj['Fn::Split'] as [string, unknown];
      return String(resolve(source)).split(separator);
    }
    if ('Fn::ImportValue' in obj) return resolve(exports.get(String(resolve(obj['Fn::ImportValue']))));
    if ('Fn::Sub' in obj) {
      const [text, vars] = (Array.isArray(obj['Fn::Sub']) ? obj['Fn::Sub'] : [obj['Fn::Sub'], {}]) as [
        string,
        Record<string, unknown>,
      ];
      return text.replace(/\$\{([^}]+)\}/g, (_, name: string) =>
        name in vars
          ? resolve(vars[name])
          : name.includes('.')
            ? getAtt(...(name.split('.') as [string, string]))
            : resolve({ Ref: name }),
      );
    }
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, resolve(v)]));
  }

  const of = (type: string) =>
    [...resources]
      .filter(([, r]) => r.Type === type)
      .map(([id, r]) => ({ id, props: resolve(r.Properties ?? {}), metadata: r.Metadata ?? {} }));
  const tableOfStream = (streamArn: string) => /table\/([^/]+)\/stream/.exec(streamArn)?.[1] ?? streamArn;

  const tables = of('AWS::DynamoDB::Table').map(({ id, props }) => ({
    TableName: id,
    KeySchema: props.KeySchema,
    AttributeDefinitions: props.AttributeDefinitions,
    BillingMode: 'PAY_PER_REQUEST' as const,
    ...(props.GlobalSecondaryIndexes ? { GlobalSecondaryIndexes: props.GlobalSecondaryIndexes } : {}),
    ...(props.StreamSpecification
      ? {
          StreamSpecification: {
            StreamEnabled: true,
            StreamViewType: props.StreamSpecification.StreamViewType,
          },
        }
      : {}),
  }));
  const timeToLive = of('AWS::DynamoDB::Table')
    .filter(({ props }) => props.TimeToLiveSpecification?.Enabled)
    .map(({ id, props }) => ({
      tableName: id,
      attribute: props.TimeToLiveSpecification.AttributeName as string,
    }));

  const invokeConfigs = new Map(
    of('AWS::Lambda::EventInvokeConfig').map(({ props }) => [String(props.FunctionName), props]),
  );
  const functions = of('AWS::Lambda::Function')
    .filter(({ metadata }) => typeof metadata[ENTRY_METADATA] === 'string')
    .map(({ id, props, metadata }) => {
      const asyncConfig = invokeConfigs.get(id);
      const onFailure = asyncConfig?.DestinationConfig?.OnFailure?.Destination;
      const deadLetter = props.DeadLetterConfig?.TargetArn;
      return {
        logicalId: id,
        arn: getAtt(id, 'Arn'),
        entry: String(metadata[ENTRY_METADATA]),
        environment: (props.Environment?.Variables ?? {}) as Record<string, string>,
        // Lambda's defaults when the template says nothing: 3 s, 128 MB, 2 async retries, 6 hours.
        timeoutSeconds: Number(props.Timeout ?? 3),
        memoryMB: Number(props.MemorySize ?? 128),
        roleArn: String(props.Role),
        asyncInvoke: {
          maximumRetryAttempts: Number(asyncConfig?.MaximumRetryAttempts ?? 2),
          maximumEventAgeSeconds: Number(asyncConfig?.MaximumEventAgeInSeconds ?? 21_600),
          ...(onFailure ? { onFailureArn: String(onFailure) } : {}),
          ...(deadLetter ? { deadLetterArn: String(deadLetter) } : {}),
        },
      };
    });

  const roles = of('AWS::IAM::Role').map(({ id, props }) => ({
    arn: getAtt(id, 'Arn'),
    name: id,
    policies: [
      ...(props.Policies ?? []).map((p: Json) => ({
        name: String(p.PolicyName),
        document: p.PolicyDocument,
      })),
      ...of('AWS::IAM::Policy')
        .filter(({ props: policy }) => (policy.Roles ?? []).map(String).includes(id))
        .map(({ id: policyId, props: policy }) => ({ name: policyId, document: policy.PolicyDocument })),
    ],
    managedPolicyArns: (props.ManagedPolicyArns ?? []).map(String),
  }));

  const integrations = new Map(
    of('AWS::ApiGatewayV2::Integration').map(({ id, props }) => [id, String(props.IntegrationUri)]),
  );
  const authorizers = new Map(
    of('AWS::ApiGatewayV2::Authorizer').map(({ id, props }) => [id, props.JwtConfiguration]),
  );
  const routes = of('AWS::ApiGatewayV2::Route').map(({ props }) => {
    const [method, path] = String(props.RouteKey).split(' ') as [string, string];
    const integrationId = String(props.Target).replace('integrations/', '');
    const jwt = props.AuthorizationType === 'JWT' ? authorizers.get(String(props.AuthorizerId)) : undefined;
    return {
      method,
      path,
      functionArn: integrations.get(integrationId) ?? '',
      ...(jwt
        ? {
            jwt: {
              issuer: String(jwt.Issuer),
              audience: (jwt.Audience ?? []).map(String),
              scopes: (props.AuthorizationScopes ?? []).map(String),
            },
          }
        : {}),
    };
  });

  const stateMachines = of('AWS::StepFunctions::StateMachine').map(({ id, props }) => ({
    arn: ref(id),
    name: id,
    roleArn: String(props.RoleArn),
    definition: JSON.parse(String(props.DefinitionString)) as Record<string, unknown>,
  }));

  const streamMappings = of('AWS::Lambda::EventSourceMapping')
    .filter(({ props }) => String(props.EventSourceArn).includes(':dynamodb:'))
    .map(({ props }) => ({
      functionArn: getAtt(String(props.FunctionName), 'Arn'),
      eventSourceArn: String(props.EventSourceArn),
      tableName: tableOfStream(String(props.EventSourceArn)),
      batchSize: Number(props.BatchSize ?? 100),
      startingPosition: props.StartingPosition,
      maximumRetryAttempts: Number(props.MaximumRetryAttempts ?? -1),
      bisectBatchOnError: Boolean(props.BisectBatchOnFunctionError),
      reportBatchItemFailures: (props.FunctionResponseTypes ?? []).includes('ReportBatchItemFailures'),
      filterPatterns: (props.FilterCriteria?.Filters ?? []).map((f: { Pattern: string }) =>
        JSON.parse(f.Pattern),
      ),
      maximumBatchingWindowSeconds: Number(props.MaximumBatchingWindowInSeconds ?? 0),
      ...(props.DestinationConfig?.OnFailure?.Destination
        ? { onFailureQueueArn: String(props.DestinationConfig.OnFailure.Destination) }
        : {}),
    }));

  // A rule target as both event and scheduled rules give it; input transformations are not emulated.
  const ruleTarget = (t: Json, rule: string): RuleTarget => {
    if (t.InputPath || t.InputTransformer)
      throw new Error(`${rule}: InputPath/InputTransformer not emulated`);
    return {
      id: String(t.Id),
      arn: String(t.Arn),
      ...(t.Input !== undefined ? { input: String(t.Input) } : {}),
      ...(t.DeadLetterConfig?.Arn ? { deadLetterArn: String(t.DeadLetterConfig.Arn) } : {}),
      ...(t.RetryPolicy?.MaximumRetryAttempts !== undefined
        ? { maximumRetryAttempts: Number(t.RetryPolicy.MaximumRetryAttempts) }
        : {}),
      ...(t.RetryPolicy?.MaximumEventAgeInSeconds !== undefined
        ? { maximumEventAgeSeconds: Number(t.RetryPolicy.MaximumEventAgeInSeconds) }
        : {}),
    };
  };
  const rules = of('AWS::Events::Rule')
    .filter(({ props }) => props.EventPattern)
    .map(({ id, props }) => ({
      name: id,
      eventBusName: String(props.EventBusName ?? 'default'),
      eventPattern: props.EventPattern,
      targets: (props.Targets ?? []).map((t: Json) => ruleTarget(t, id)),
    }));

  const units: Record<string, number> = {
    minute: 60_000,
    minutes: 60_000,
    hour: 3_600_000,
    hours: 3_600_000,
    day: 86_400_000,
    days: 86_400_000,
  };
  const schedules = of('AWS::Events::Rule')
    .filter(({ props }) => props.ScheduleExpression)
    .map(({ id, props }) => {
      const [, count, unit] = /^rate\((\d+) (\w+)\)$/.exec(String(props.ScheduleExpression)) ?? [];
      if (!count || !unit || !units[unit])
        throw new Error(`Unsupported schedule ${props.ScheduleExpression} on ${id}`);
      return {
        name: id,
        everyMs: Number(count) * units[unit],
        targets: (props.Targets ?? []).map((t: Json) => ruleTarget(t, id)),
      };
    });

  const queues = of('AWS::SQS::Queue').map(({ id }) => ({ arn: getAtt(id, 'Arn'), name: id }));
  const secrets = of('AWS::SecretsManager::Secret').map(({ id, props }) => ({
    logicalId: id,
    ...secret(id),
    ...secretSource(id, props),
  }));

  const configurationSets = configurationSetsFromTemplate(
    of('AWS::SES::ConfigurationSet').map(({ id, props }) => ({ Name: id, ...props })),
    of('AWS::SES::ConfigurationSetEventDestination').map(({ props }) => props),
  );

  const cors = corsFromTemplate(of('AWS::ApiGatewayV2::Api')[0]?.props.CorsConfiguration);
  const buckets = of('AWS::S3::Bucket').map(({ id, props }) => ({
    name: ref(id),
    cors: (props.CorsConfiguration?.CorsRules ?? []).map((rule: Json) => ({
      allowedMethods: (rule.AllowedMethods ?? []).map(String),
      allowedOrigins: (rule.AllowedOrigins ?? []).map(String),
      allowedHeaders: (rule.AllowedHeaders ?? []).map(String),
      exposedHeaders: (rule.ExposedHeaders ?? []).map(String),
      ...(rule.MaxAge === undefined ? {} : { maxAge: Number(rule.MaxAge) }),
    })),
  }));

  return {
    region,
    ...(cors ? { cors } : {}),
    tables,
    timeToLive,
    functions,
    roles,
    routes,
    stateMachines,
    streamMappings,
    rules,
    schedules,
    queues,
    secrets,
    configurationSets,
    buckets,
  };
}
