import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readDeploymentConfig } from './config.ts';
import { AttractStatefulStack } from './stateful-stack.ts';
import { AttractStatelessStack } from './stateless-stack.ts';

export interface AttractAppOptions {
  /** Extra CDK context, e.g. deployment settings (`attract:*`) or `aws:cdk:bundling-stacks`. */
  readonly context?: Record<string, unknown>;
  readonly outdir?: string;
  /** Run cdk-nag's AwsSolutions pack at synthesis (on for `cdk synth`/`deploy`). */
  readonly nag?: boolean;
  /** aws-cdk-lib's own CloudFormation checks (about 3 s); the local runtime skips them, `cdk synth` keeps them. */
  readonly validation?: boolean;
}

/** Feature flags live here, not only in cdk.json, so the local runtime synthesizes exactly what `cdk` does. */
const FEATURE_FLAGS = {
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
  '@aws-cdk/customresources:installLatestAwsSdkDefault': false,
  '@aws-cdk/aws-iam:minimizePolicies': true,
  '@aws-cdk/core:checkSecretUsage': true,
};

export const STATEFUL_STACK = 'AttractStateful';
export const STATELESS_STACK = 'AttractStateless';

/** The one definition of Attract: `cdk deploy` deploys it, the local runtime runs what it synthesizes. */
export function buildAttractApp(options: AttractAppOptions = {}): App {
  const app = new App({
    ...(options.outdir ? { outdir: options.outdir } : {}),
    context: { ...FEATURE_FLAGS, ...options.context },
    ...(options.validation === false ? { builtinCloudFormationValidation: false } : {}),
  });
  const config = readDeploymentConfig(app);
  const stateful = new AttractStatefulStack(app, STATEFUL_STACK, {
    description: 'Attract: lead table and staff directory (retained across deploys)',
  });
  new AttractStatelessStack(app, STATELESS_STACK, {
    description: 'Attract: API, functions, workflows, event bus and alarms',
    table: stateful.table,
    userPool: stateful.userPool,
    userPoolClient: stateful.consoleClient,
    keySecret: stateful.keySecret,
    importsBucket: stateful.importsBucket,
    config,
  });
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}
