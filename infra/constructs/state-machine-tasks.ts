import { Stack, Validations } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { AttractFunction } from './attract-function.ts';

/** Step Functions' Lambda integration grants invoke on `<function>:*` (its versions and aliases). */
export function acknowledgeVersionInvoke(scope: Construct, fn: AttractFunction): void {
  const logicalId = Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnFunction);
  Validations.of(scope).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
    reason:
      'The state machine may invoke the step function and its published versions; the wildcard is only the version qualifier.',
  });
}
