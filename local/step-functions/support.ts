import type { StateMachine } from 'aws-local-stepfunctions';
import { AwsError } from '../json-protocol.ts';

/** The small pieces every part of the local Step Functions shares: JSON values, request fields, errors. */
export type JSONValue = Parameters<StateMachine['run']>[0];
export type Input = Record<string, unknown>;

/** An Error whose name the library turns into the ASL error, and whose message into the cause. */
export function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  // AWS lets no Retry or Catch (States.ALL included) take States.Runtime; the library asks these two.
  if (name === 'States.Runtime') Object.assign(error, { isRetryable: false, isCatchable: false });
  return error;
}

export function parseJson(text: unknown, errorType: string): unknown {
  try {
    return JSON.parse(String(text));
  } catch {
    throw new AwsError(errorType, `Invalid JSON: ${String(text).slice(0, 100)}`);
  }
}

export function str(input: Input, field: string): string {
  const value = input[field];
  if (typeof value !== 'string') throw new AwsError('ValidationException', `${field} must be a string`);
  return value;
}

export const optional = (value: unknown) => (typeof value === 'string' ? value : undefined);
export const seconds = (date: Date) => date.getTime() / 1000;
export const stripUndefined = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** One page of a list, with AWS's opaque nextToken (an offset here). */
export function page<T>(items: T[], input: Input, defaultSize: number): { items: T[]; nextToken?: string } {
  const size = typeof input.maxResults === 'number' && input.maxResults > 0 ? input.maxResults : defaultSize;
  const start = typeof input.nextToken === 'string' ? Number(input.nextToken) : 0;
  if (!Number.isInteger(start) || start < 0) throw new AwsError('InvalidToken', 'Invalid nextToken');
  const end = start + size;
  return { items: items.slice(start, end), ...(end < items.length ? { nextToken: String(end) } : {}) };
}

/** Every string inside a JSON value, at any depth. */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}
