/** The fields of the library's event logs that the history uses. */
export interface EventLog {
  type: string;
  timestamp: number;
  state?: { name: string; type: string; input: unknown; output?: unknown };
  parentState?: { name: string };
  index?: number;
  input?: unknown;
  output?: unknown;
  Error?: string;
  Cause?: unknown;
}

/**
 * The library's event log, mapped to AWS history events (type, id, timestamp and details). An execution
 * timed out here is stopped through the library's abort: its abort shows as the timeout it is.
 */
export async function recordHistory(
  history: Record<string, unknown>[],
  logs: AsyncGenerator<EventLog>,
  timedOut: () => boolean,
): Promise<void> {
  for await (const log of logs) {
    const timeout = log.type === 'ExecutionAborted' && timedOut();
    const details = historyDetails(timeout ? { ...log, type: 'ExecutionTimeout' } : log);
    if (!details) continue;
    const id = history.length + 1;
    history.push({ timestamp: log.timestamp / 1000, id, previousEventId: id - 1, ...details });
  }
}

function historyDetails(log: EventLog): Record<string, unknown> | undefined {
  const json = (value: unknown) => JSON.stringify(value ?? null);
  const state = log.state;
  switch (log.type) {
    case 'ExecutionStarted':
      return { type: 'ExecutionStarted', executionStartedEventDetails: { input: json(log.input) } };
    case 'ExecutionSucceeded':
      return { type: 'ExecutionSucceeded', executionSucceededEventDetails: { output: json(log.output) } };
    case 'ExecutionFailed':
      return {
        type: 'ExecutionFailed',
        executionFailedEventDetails: { error: log.Error, cause: String(log.Cause) },
      };
    case 'ExecutionAborted':
      return { type: 'ExecutionAborted', executionAbortedEventDetails: {} };
    case 'ExecutionTimeout':
      return { type: 'ExecutionTimedOut', executionTimedOutEventDetails: {} };
    case 'StateEntered':
      return {
        type: `${state?.type}StateEntered`,
        stateEnteredEventDetails: { name: state?.name, input: json(state?.input) },
      };
    case 'StateExited':
      return {
        type: `${state?.type}StateExited`,
        stateExitedEventDetails: { name: state?.name, output: json(state?.output) },
      };
    case 'StateFailed':
      if (state?.type === 'Task') {
        const failure = {
          resourceType: 'lambda',
          resource: 'invoke',
          error: log.Error,
          cause: String(log.Cause),
        };
        return { type: 'TaskFailed', taskFailedEventDetails: failure };
      }
      return state?.type === 'Map' || state?.type === 'Parallel'
        ? { type: `${state.type}StateFailed` }
        : undefined;
    case 'MapIterationStarted':
    case 'MapIterationSucceeded':
    case 'MapIterationFailed': {
      const key = `${log.type[0]?.toLowerCase()}${log.type.slice(1)}EventDetails`;
      return { type: log.type, [key]: { name: log.parentState?.name, index: log.index } };
    }
    default:
      return undefined; // retries and catches show as the failure and the next state entered, as in AWS
  }
}

/** A history event without its input and output, for includeExecutionData: false. */
export function withoutData(event: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(event, (key, value) => (key === 'input' || key === 'output' ? undefined : value)),
  );
}
