import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { ENV } from '#shared/environment.ts';

/**
 * Lets a function read the key secret (hashes of personal data, signed links): its value only, since
 * grantRead would add DescribeSecret, which nothing here calls; the function learns its ARN from
 * ATTRACT_KEYS_SECRET_ARN.
 */
export function readKeys(
  fn: IFunction & { addEnvironment(key: string, value: string): unknown },
  secret: ISecret,
) {
  fn.addEnvironment(ENV.keysSecretArn, secret.secretArn);
  fn.addToRolePolicy(
    new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }),
  );
}
