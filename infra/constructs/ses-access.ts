import { Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { AttractFunction } from './attract-function.ts';

/** Lets the function send email as the sender identity only (its address and its domain), nothing else the account has verified. */
export function sendEmailAs(fn: AttractFunction, senderEmail: string): void {
  fn.addToRolePolicy(
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ['ses:SendEmail'],
      resources: [senderEmail, senderEmail.split('@')[1] ?? ''].map((identity) =>
        Stack.of(fn).formatArn({ service: 'ses', resource: 'identity', resourceName: identity }),
      ),
    }),
  );
}
