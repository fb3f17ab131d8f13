import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { CorsConfiguration } from './cors.ts';
import type { LocalBucket } from './local-s3.ts';
import type { LocalSecret } from './secrets-manager.ts';
import type { LocalConfigurationSet } from './ses-account.ts';
import type { StreamMappingConfig } from './stream-poller.ts';
import type { RuleTarget } from './target-delivery.ts';

/** What the local runtime runs, as `describeLocalApp` (assembly.ts) resolves it from the templates. */
export interface LocalFunction {
  logicalId: string;
  arn: string;
  entry: string;
  environment: Record<string, string>;
  timeoutSeconds: number;
  memoryMB: number;
  /** The execution role whose policies every SDK call of the function is checked against. */
  roleArn: string;
  /** The asynchronous invocation configuration (AWS::Lambda::EventInvokeConfig, DeadLetterConfig). */
  asyncInvoke: {
    maximumRetryAttempts: number;
    maximumEventAgeSeconds: number;
    onFailureArn?: string;
    deadLetterArn?: string;
  };
}
/** An IAM policy document, as the template gives it (resolved). */
export type PolicyDocument = { Version?: string; Statement: unknown[] | unknown };
/** A role and the identity policies attached to it in the templates. */
export interface LocalRole {
  arn: string;
  name: string;
  policies: { name: string; document: PolicyDocument }[];
  managedPolicyArns: string[];
}
export interface LocalRoute {
  method: string;
  path: string;
  functionArn: string;
  jwt?: { issuer: string; audience: string[]; scopes?: string[] };
}
/** `eventSourceArn`: the stream as the template names it, which the function's role must be able to read. */
export type LocalStreamMapping = StreamMappingConfig & { functionArn: string; eventSourceArn: string };
export interface LocalEventRule {
  name: string;
  eventBusName: string;
  eventPattern: unknown;
  targets: RuleTarget[];
}
/** A scheduled rule: its rate and its targets, with their fixed input, retry policy and dead-letter queue. */
export interface LocalSchedule {
  name: string;
  everyMs: number;
  targets: RuleTarget[];
}
export interface LocalApp {
  region: string;
  tables: CreateTableCommandInput[];
  timeToLive: { tableName: string; attribute: string }[];
  functions: LocalFunction[];
  routes: LocalRoute[];
  stateMachines: { arn: string; name: string; roleArn: string; definition: Record<string, unknown> }[];
  roles: LocalRole[];
  streamMappings: LocalStreamMapping[];
  rules: LocalEventRule[];
  schedules: LocalSchedule[];
  queues: { arn: string; name: string }[];
  secrets: LocalSecret[];
  /** SES configuration sets and their EventBridge destinations, which the local SES account publishes to. */
  configurationSets: LocalConfigurationSet[];
  /** S3 buckets, each with its CORS rules; the IAM gateway serves them. */
  buckets: LocalBucket[];
  /** The HTTP API's CORS configuration, if it has one. */
  cors?: CorsConfiguration;
}
