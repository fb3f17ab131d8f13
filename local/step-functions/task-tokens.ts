import { randomUUID } from 'node:crypto';
import { AwsError } from '../json-protocol.ts';
import { type JSONValue, namedError, optional, stringsIn } from './support.ts';

interface PendingToken {
  executionArn: string;
  promise: Promise<JSONValue>;
  resolve: (value: JSONValue) => void;
  reject: (error: Error) => void;
  open: boolean;
}

/** Task tokens: the library ignores `.waitForTaskToken`, so tokens are issued, awaited and settled here. */
export class TaskTokens {
  private readonly tokens = new Map<string, PendingToken>();
  private readonly byExecution = new Map<string, Set<string>>();

  /** A fresh token for one task attempt ($$.Task.Token). */
  issue(executionArn: string): string {
    const token = Buffer.from(`${randomUUID()}:${randomUUID()}`).toString('base64url');
    const { promise, resolve, reject } = Promise.withResolvers<JSONValue>();
    promise.catch(() => undefined); // settled tokens nobody awaits must not be unhandled rejections
    this.tokens.set(token, { executionArn, promise, resolve, reject, open: true });
    const ofExecution = this.byExecution.get(executionArn) ?? new Set<string>();
    this.byExecution.set(executionArn, ofExecution.add(token));
    return token;
  }

  /** The token a task passed in its parameters; its handler spends it when the task times out. */
  claim(parameters: unknown): string {
    const token = stringsIn(parameters).find((s) => this.tokens.get(s)?.open);
    if (!token) throw namedError('States.Runtime', 'A .waitForTaskToken task must pass $$.Task.Token');
    return token;
  }

  result(token: string): Promise<JSONValue> {
    return (this.tokens.get(token) as PendingToken).promise;
  }

  succeed(token: string, output: unknown) {
    this.settle(this.open(token), output as JSONValue);
    return {};
  }

  fail(token: string, error: unknown, cause: unknown) {
    this.settle(this.open(token), namedError(optional(error) ?? 'States.TaskFailed', optional(cause) ?? ''));
    return {};
  }

  heartbeat(token: string) {
    this.open(token); // HeartbeatSeconds is not enforced locally; a heartbeat only proves the token is live
    return {};
  }

  /** Rejects what an execution still waits for, so no timer outlives it. */
  closeExecution(executionArn: string): void {
    for (const token of this.byExecution.get(executionArn) ?? []) {
      this.settle(token, namedError('States.Aborted', 'The execution is closed'));
    }
    this.byExecution.delete(executionArn);
  }

  /** Settles a token once; spent tokens stay known so late calls get TaskTimedOut, as in AWS. */
  settle(token: string, outcome: JSONValue | Error): void {
    const pending = this.tokens.get(token);
    if (!pending?.open) return;
    pending.open = false;
    if (outcome instanceof Error) pending.reject(outcome);
    else pending.resolve(outcome);
  }

  private open(token: string): string {
    const pending = this.tokens.get(token);
    if (!pending) throw new AwsError('InvalidToken', 'Invalid Token');
    if (!pending.open) {
      throw new AwsError('TaskTimedOut', 'Task Timed Out: Provided task does not exist anymore');
    }
    return token;
  }
}
