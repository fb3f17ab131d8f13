import { findSecret, type SecretName } from './secrets-manager.ts';

/**
 * What IAM checks for one request to a service the local runtime emulates: the action and the resources,
 * as the AWS Service Authorization Reference lists them. An operation not listed here is refused, never
 * waved through.
 */
export type ServiceName = 'dynamodb' | 'states' | 'events' | 'ses' | 'secretsmanager';

/**
 * One check: the action on every resource, or (anyOf) on at least one of them. `shownAs`: the resource as
 * the refusal names it, where the service words it so (Secrets Manager names the SecretId as given).
 */
export type Check = { action: string; resources: string[]; anyOf?: boolean; shownAs?: string };

export type SignedRequest = {
  method: string;
  path: string;
  /** The `x-amz-target` header of the AWS JSON protocols, e.g. `DynamoDB_20120810.PutItem`. */
  target: string;
  body: Buffer;
  region: string;
  account: string;
  /** The secrets there are, so that a SecretId given by name is authorized on the secret's ARN. */
  secrets?: readonly SecretName[];
};

type Json = Record<string, unknown>;

export function requiredPermissions(
  service: ServiceName,
  request: SignedRequest,
): Check[] | { unknown: string } {
  const arn = (svc: string, rest: string) => `arn:aws:${svc}:${request.region}:${request.account}:${rest}`;
  const body = (): Json => (request.body.length ? (JSON.parse(request.body.toString('utf8')) as Json) : {});
  const operation = request.target.slice(request.target.indexOf('.') + 1);
  switch (service) {
    case 'dynamodb':
      return dynamodb(operation, body(), (table) =>
        table.startsWith('arn:') ? table : arn('dynamodb', `table/${table}`),
      );
    case 'states':
      return stepFunctions(operation, body());
    case 'events':
      return events(operation, body(), (bus) =>
        bus.startsWith('arn:') ? bus : arn('events', `event-bus/${bus}`),
      );
    case 'ses':
      return ses(
        request.method,
        request.path,
        body,
        (identity) => arn('ses', `identity/${identity}`),
        (set) => arn('ses', `configuration-set/${set}`),
      );
    case 'secretsmanager':
      return secretsManager(operation, body(), request.secrets ?? [], (name) =>
        arn('secretsmanager', `secret:${name}`),
      );
    default:
      return { unknown: `${service} requests` };
  }
}

const SINGLE_TABLE = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'DescribeTable',
  'DescribeTimeToLive',
]);
const TRANSACT_ACTIONS: Record<string, string> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
  Get: 'GetItem',
};

function dynamodb(
  operation: string,
  body: Json,
  tableArn: (name: string) => string,
): Check[] | { unknown: string } {
  if (SINGLE_TABLE.has(operation)) {
    const table = tableArn(String(body.TableName));
    const index = typeof body.IndexName === 'string' ? `${table}/index/${body.IndexName}` : undefined;
    return [{ action: `dynamodb:${operation}`, resources: [index ?? table] }];
  }
  if (operation === 'BatchGetItem' || operation === 'BatchWriteItem') {
    const tables = Object.keys((body.RequestItems ?? {}) as Json).map(tableArn);
    return [{ action: `dynamodb:${operation}`, resources: tables }];
  }
  // A transaction needs the single-item permission for each item it holds, on that item's table.
  if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
    return ((body.TransactItems ?? []) as Json[]).flatMap((item) =>
      Object.entries(item).map(([kind, detail]) => ({
        action: `dynamodb:${TRANSACT_ACTIONS[kind] ?? kind}`,
        resources: [tableArn(String((detail as Json).TableName))],
      })),
    );
  }
  if (operation === 'ListTables') return [{ action: 'dynamodb:ListTables', resources: ['*'] }];
  return { unknown: `dynamodb:${operation}` };
}

const ON_STATE_MACHINE = ['StartExecution', 'StartSyncExecution', 'DescribeStateMachine', 'ListExecutions'];
const ON_EXECUTION = ['DescribeExecution', 'StopExecution', 'GetExecutionHistory', 'RedriveExecution'];
const ON_NOTHING = ['SendTaskSuccess', 'SendTaskFailure', 'SendTaskHeartbeat', 'ListStateMachines'];

function stepFunctions(operation: string, body: Json): Check[] | { unknown: string } {
  const action = `states:${operation}`;
  if (ON_STATE_MACHINE.includes(operation)) return [{ action, resources: [String(body.stateMachineArn)] }];
  if (ON_EXECUTION.includes(operation)) return [{ action, resources: [String(body.executionArn)] }];
  if (ON_NOTHING.includes(operation)) return [{ action, resources: ['*'] }];
  return { unknown: action };
}

function events(
  operation: string,
  body: Json,
  busArn: (name: string) => string,
): Check[] | { unknown: string } {
  if (operation !== 'PutEvents') return { unknown: `events:${operation}` };
  const buses = new Set(
    ((body.Entries ?? []) as Json[]).map((e) => busArn(String(e.EventBusName ?? 'default'))),
  );
  return [{ action: 'events:PutEvents', resources: [...buses] }];
}

function ses(
  method: string,
  path: string,
  body: () => Json,
  identityArn: (identity: string) => string,
  configurationSetArn: (name: string) => string,
): Check[] | { unknown: string } {
  // GetAccount (the sending quota) names no resource.
  if (method === 'GET' && path === '/v2/email/account')
    return [{ action: 'ses:GetAccount', resources: ['*'] }];
  if (method !== 'POST' || path !== '/v2/email/outbound-emails') return { unknown: `ses ${method} ${path}` };
  const request = body();
  const from = String(request.FromEmailAddress ?? '');
  const address = (/<([^>]+)>/.exec(from)?.[1] ?? from).trim().toLowerCase();
  const identities = request.FromEmailAddressIdentityArn
    ? [String(request.FromEmailAddressIdentityArn)]
    : [identityArn(address), identityArn(address.slice(address.indexOf('@') + 1))];
  const checks: Check[] = [{ action: 'ses:SendEmail', resources: identities, anyOf: true }];
  if (typeof request.ConfigurationSetName === 'string') {
    checks.push({ action: 'ses:SendEmail', resources: [configurationSetArn(request.ConfigurationSetName)] });
  }
  return checks;
}

const ON_SECRET = ['GetSecretValue', 'DescribeSecret'];

/**
 * IAM judges the secret itself, by its full ARN, however the caller named it. A SecretId that names no
 * secret is judged on the ARN it would have without the suffix, so a caller without the grant learns no
 * more than AccessDenied, as in AWS (IAM answers before Secrets Manager looks).
 */
function secretsManager(
  operation: string,
  body: Json,
  secrets: readonly SecretName[],
  secretArn: (name: string) => string,
): Check[] | { unknown: string } {
  const action = `secretsmanager:${operation}`;
  if (!ON_SECRET.includes(operation)) return { unknown: action };
  const secretId = String(body.SecretId ?? '');
  const resource =
    findSecret(secrets, secretId)?.arn ?? (secretId.startsWith('arn:') ? secretId : secretArn(secretId));
  return [{ action, resources: [resource], shownAs: secretId }];
}

/** The refusal's text: IAM's, naming the resource as the service names it. */
export function refusalMessage(check: Check, message: string): string {
  const [resource] = check.resources;
  return check.shownAs === undefined || resource === undefined
    ? message
    : message.replace(`on resource: ${resource} `, `on resource: ${check.shownAs} `);
}

const S3_OBJECT_ACTIONS: Record<string, string> = {
  PUT: 's3:PutObject',
  GET: 's3:GetObject',
  // HeadObject is authorized as s3:GetObject, as S3 documents it.
  HEAD: 's3:GetObject',
  DELETE: 's3:DeleteObject',
};

/** S3's REST protocol, path-style (`/<bucket>/<key>`): the object operations on `arn:aws:s3:::bucket/key`. */
export function s3Permissions(method: string, bucket: string, key: string): Check | { unknown: string } {
  const action = S3_OBJECT_ACTIONS[method];
  if (!action || key === '') return { unknown: `s3 ${method} /${bucket}/${key}` };
  return { action, resources: [`arn:aws:s3:::${bucket}/${key}`] };
}
