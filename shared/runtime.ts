import { Logger } from '@aws-lambda-powertools/logger';
import { ENV } from './environment.ts';

/**
 * The logger and settings for handlers, and `once`, the one way to build an AWS client. Each client has
 * its own module in shared/clients/, so a function bundles only the SDK clients it imports: the SDK is
 * most of a bundle, and a handler that sends no email should not parse SES on every cold start.
 */
export const logger = new Logger({ serviceName: 'attract' });

/** Built on first use, then kept for the life of the execution environment. */
export const once = <T>(make: () => T): (() => T) => {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
};

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
