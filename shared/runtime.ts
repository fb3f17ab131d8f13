import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV } from './environment.ts';

/**
 * The one module that builds AWS clients, the logger and settings for handlers. Clients take their
 * endpoints from the standard AWS_ENDPOINT_URL_* variables, which is how the local runtime points them
 * at the emulators without a code path of its own.
 */
export const logger = new Logger({ serviceName: 'attract' });

const once = <T>(make: () => T): (() => T) => {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
};

export const documentClient = once(() =>
  DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  }),
);
export const sesClient = once(() => new SESv2Client({}));
export const sfnClient = once(() => new SFNClient({}));
export const eventBridgeClient = once(() => new EventBridgeClient({}));

/** A setting the infrastructure gives this function; a missing one is a deployment bug, so fail loudly. */
export function setting(name: keyof typeof ENV): string {
  const value = process.env[ENV[name]];
  if (!value) throw new Error(`Missing environment variable ${ENV[name]}`);
  return value;
}

/** A setting the infrastructure gives only when it is configured. */
export function optionalSetting(name: keyof typeof ENV): string | undefined {
  return process.env[ENV[name]] || undefined;
}

export function numericSetting(name: keyof typeof ENV): number {
  const value = Number(setting(name));
  if (!Number.isFinite(value)) throw new Error(`Environment variable ${ENV[name]} is not a number`);
  return value;
}
