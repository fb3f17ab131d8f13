import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Architecture, type CfnFunction, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Metadata key that tells the local runtime which handler module a synthesized function runs. */
export const ENTRY_METADATA = 'attract:entry';

/** How every function is bundled: by `cdk deploy`, and by the local runtime, which runs the same bundles. */
export const BUNDLING = {
  target: 'node24',
  sourceMap: true,
  minify: true,
  mainFields: ['module', 'main'] as string[],
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
  // The AWS SDK the tests run with is bundled, so no runtime-provided SDK drifts under a deployed function.
  externalModules: [] as string[],
};

export interface AttractFunctionProps {
  /** Handler module, relative to the project root, e.g. `functions/leads/capture-lead.ts`. */
  readonly entry: string;
  readonly description: string;
  readonly environment?: Record<string, string>;
  readonly timeout?: Duration;
  readonly memorySize?: number;
}

/** The one way this project defines a Node function: runtime, architecture, bundling, logs and tracing. */
export class AttractFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: AttractFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    super(scope, id, {
      entry: path.join(PROJECT_ROOT, props.entry),
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'attract',
        ...props.environment,
      },
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      bundling: { ...BUNDLING, format: OutputFormat.ESM },
    });
    (this.node.defaultChild as CfnFunction).addMetadata(ENTRY_METADATA, props.entry);
    // test/infra/least-privilege.test.ts checks that these are the only actions any function has on `*`.
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) and, for a stream consumer, dynamodb:ListStreams take no narrower resource.',
    });
  }
}
