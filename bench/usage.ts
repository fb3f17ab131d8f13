import {
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';

/**
 * What one lead costs end to end, counted on the local runtime rather than assumed: the AWS calls the
 * functions made (the IAM gateway counts every one it forwards), the Lambda invocations, the state
 * transitions of the lead's LeadIntake execution, and the emails; priced at AWS list prices.
 */
export type Usage = { awsCalls: Record<string, number>; lambdaInvocations: Record<string, number> };

export async function usage(api: string): Promise<Usage> {
  return (await (await fetch(`${api}/__local/usage`)).json()) as Usage;
}

const sum = (record: Record<string, number>) => Object.values(record).reduce((a, b) => a + b, 0);
const diff = (after: Record<string, number>, before: Record<string, number>): Record<string, number> =>
  Object.fromEntries(
    Object.entries(after)
      .map(([k, v]): [string, number] => [k, v - (before[k] ?? 0)])
      .filter(([, v]) => v !== 0),
  );

/** State transitions (states entered, retries included) of up to `sample` LeadIntake executions, on average. */
export async function stateTransitionsPerLead(sfn: SFNClient, sample: number): Promise<number> {
  const { stateMachines = [] } = await sfn.send(new ListStateMachinesCommand({}));
  const machine = stateMachines.find((m) => m.name?.includes('LeadIntake'));
  const { executions = [] } = await sfn.send(
    new ListExecutionsCommand({
      stateMachineArn: machine?.stateMachineArn,
      statusFilter: 'SUCCEEDED',
      maxResults: sample,
    }),
  );
  let entered = 0;
  for (const execution of executions) {
    const { events = [] } = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: execution.executionArn, maxResults: 1000 }),
    );
    entered += events.filter((e) => e.type?.endsWith('StateEntered')).length;
  }
  return executions.length ? entered / executions.length : 0;
}

/**
 * US East list prices (on-demand DynamoDB after its 2024 cut, Standard workflows, Lambda on arm64 is
 * cheaper: x86 here). DynamoDB units are counted at one per item of 1 KB or less, two in a transaction,
 * one read unit per consistent read or query page: a lower bound, since a lead's item is 2-4 KB.
 */
const PRICE = {
  writeUnit: 0.625 / 1e6,
  readUnit: 0.125 / 1e6,
  stateTransition: 0.025 / 1000,
  lambdaRequest: 0.2 / 1e6,
  lambdaGbSecond: 0.0000166667,
  event: 1 / 1e6,
  email: 0.1 / 1000,
  secretCall: 0.05 / 10_000,
};
const WRITES = ['PutItem', 'UpdateItem', 'DeleteItem'];
const READS = ['GetItem', 'Query', 'Scan'];

export function describeUsage(
  before: Usage,
  after: Usage,
  leads: number,
  transitions: number,
  emails: number,
  lambda: { memoryGb: number; secondsPerInvocation: number },
): string[] {
  const calls = diff(after.awsCalls, before.awsCalls);
  const invocations = diff(after.lambdaInvocations, before.lambdaInvocations);
  const per = (n: number) => n / leads;
  const dynamo = (op: string) => per(calls[`dynamodb:${op}`] ?? 0);
  const writeUnits = WRITES.reduce((a, op) => a + dynamo(op), 0) + 2 * dynamo('TransactWriteItems:items');
  const readUnits = READS.reduce((a, op) => a + dynamo(op), 0) + 2 * dynamo('TransactGetItems:items');
  const dynamoOps = Object.entries(calls)
    .filter(([k]) => k.startsWith('dynamodb:') && !k.endsWith(':items'))
    .map(([k, v]) => `${k.slice(9)} ${per(v).toFixed(2)}`);
  const lambdaPerLead = per(sum(invocations));
  const dynamoCalls = Object.entries(calls)
    .filter(([k]) => k.startsWith('dynamodb:') && !k.endsWith(':items'))
    .reduce((a, [, v]) => a + v, 0);
  const cost =
    1000 *
    (writeUnits * PRICE.writeUnit +
      readUnits * PRICE.readUnit +
      transitions * PRICE.stateTransition +
      lambdaPerLead *
        (PRICE.lambdaRequest + lambda.memoryGb * lambda.secondsPerInvocation * PRICE.lambdaGbSecond) +
      per(calls['events:PutEvents'] ?? 0) * PRICE.event +
      per(emails) * PRICE.email +
      per(calls['secretsmanager:GetSecretValue'] ?? 0) * PRICE.secretCall);
  return [
    `one lead, capture to email (${leads} leads): DynamoDB operations ${dynamoOps.join(', ')}` +
      ` (${per(dynamoCalls).toFixed(1)} in all;` +
      ` ${dynamo('TransactWriteItems').toFixed(2)} transactions of ${(dynamo('TransactWriteItems:items') / Math.max(dynamo('TransactWriteItems'), 1e-9)).toFixed(1)} items)`,
    `  ${writeUnits.toFixed(1)} write and ${readUnits.toFixed(1)} read units at least; ${transitions.toFixed(1)} state transitions;` +
      ` ${lambdaPerLead.toFixed(2)} Lambda invocations (${Object.entries(invocations)
        .map(
          ([k, v]) =>
            `${k.replace(/^(LeadIntake|ManagerUnit)/, '').replace(/[0-9A-F]{8}$/, '')} ${per(v).toFixed(2)}`,
        )
        .join(', ')});` +
      ` ${per(calls['events:PutEvents'] ?? 0).toFixed(2)} PutEvents; ${per(emails).toFixed(2)} emails`,
    `  cost per 1,000 leads at US East list prices (Lambda at ${lambda.memoryGb * 1024} MB for ${lambda.secondsPerInvocation * 1000} ms each): $${cost.toFixed(4)}`,
  ];
}

/**
 * Waits until no execution of any state machine is running; answers the seconds it took, or undefined
 * when `deadlineMs` passed first.
 */
export async function drain(
  sfn: SFNClient,
  deadlineMs = Number.POSITIVE_INFINITY,
): Promise<number | undefined> {
  const started = performance.now();
  const { stateMachines = [] } = await sfn.send(new ListStateMachinesCommand({}));
  while (performance.now() - started < deadlineMs) {
    let running = 0;
    for (const machine of stateMachines) {
      const { executions = [] } = await sfn.send(
        new ListExecutionsCommand({
          stateMachineArn: machine.stateMachineArn,
          statusFilter: 'RUNNING',
          maxResults: 1000,
        }),
      );
      running += executions.length;
    }
    if (running === 0) return (performance.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 200));
  }
  return undefined;
}
