import { DEMO_REFERRAL_CODE } from './demo-data.ts';
import { PortInUseError, portIsFree } from './processes.ts';
import { contextFromEnvironment, type LocalPorts, startLocalRuntime } from './runtime.ts';

/** `npm start`: Attract on this machine, with demo data. Ports come from ATTRACT_*_PORT variables. */
const PORT_VARIABLES: Record<keyof LocalPorts, [variable: string, fallback: number]> = {
  api: ['ATTRACT_API_PORT', 3000],
  mailbox: ['ATTRACT_MAILBOX_PORT', 8005],
  dynamodb: ['ATTRACT_DYNAMODB_PORT', 8000],
  stepFunctions: ['ATTRACT_STEPFUNCTIONS_PORT', 8083],
  events: ['ATTRACT_EVENTS_PORT', 8088],
};

/** Says what to do and exits, without a stack trace: these are the newcomer's mistakes, not bugs. */
function refuse(lines: string[]): never {
  console.error(lines.join('\n'));
  process.exit(1);
}

const ports = {} as LocalPorts;
for (const [part, [variable, fallback]] of Object.entries(PORT_VARIABLES)) {
  const raw = process.env[variable];
  const port = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    refuse([`${variable}=${raw} is not a port number (0-65535; 0 picks a free port).`]);
  ports[part as keyof LocalPorts] = port;
}

const busyMessage = (busy: [variable: string, port: number][]) => [
  ...busy.map(([variable, port]) => `Port ${port} (${variable}) is already in use.`),
  'Another Attract may be running (stop it with Ctrl-C), or another program holds the port.',
  `Choose a free port, e.g. ${busy.map(([variable, port]) => `${variable}=${port + 1}`).join(' ')} npm start`,
];

const partOn = (port: number) =>
  Object.entries(ports).find(([, p]) => p === port)?.[0] as keyof LocalPorts | undefined;
const busy: [string, number][] = [];
for (const [part, port] of Object.entries(ports) as [keyof LocalPorts, number][]) {
  if (port > 0 && !(await portIsFree(port))) busy.push([PORT_VARIABLES[part][0], port]);
}
if (busy.length) refuse(busyMessage(busy));

// The local SES account's quota: a new production account's unless set (e.g. a sandbox's 1/s and 200/day).
const sesQuota: { maxSendRate?: number; max24HourSend?: number } = {};
for (const [field, variable] of [
  ['maxSendRate', 'ATTRACT_LOCAL_SES_MAX_SEND_RATE'],
  ['max24HourSend', 'ATTRACT_LOCAL_SES_MAX_24_HOUR_SEND'],
] as const) {
  const raw = process.env[variable];
  if (raw === undefined || raw === '') continue;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    refuse([`${variable}=${raw} is not a whole number of at least 1.`]);
  sesQuota[field] = value;
}

const dataDir = process.env.ATTRACT_DATA_DIR || undefined;
const environments = Number(process.env.ATTRACT_LOCAL_ENVIRONMENTS) || undefined;
const runtime = await startLocalRuntime({
  ports,
  ...(environments ? { maxEnvironments: environments } : {}),
  context: contextFromEnvironment(),
  ses: sesQuota,
  ...(dataDir ? { dataDir } : {}),
}).catch((error: unknown) => {
  // A port taken between the check above and the start.
  if (!(error instanceof PortInUseError)) throw error;
  const part = partOn(error.port);
  return refuse(busyMessage([[part ? PORT_VARIABLES[part][0] : 'an ATTRACT_*_PORT variable', error.port]]));
});

console.log(`API ${runtime.urls.api}`);
console.log(`Mailbox ${runtime.urls.mailbox}`);
console.log(`SES ${runtime.urls.ses}`);
console.log(`DynamoDB ${runtime.urls.dynamodb}`);
console.log(`StepFunctions ${runtime.urls.stepFunctions}`);
console.log(`Events ${runtime.urls.events}`);
for (const [user, token] of Object.entries(runtime.tokens)) console.log(`Token ${user} ${token}`);
console.log(
  dataDir
    ? `Data kept in ${dataDir} (the tables and the key secret; mail, executions and queues start empty).`
    : 'Data is in memory: nothing is kept after Ctrl-C (set ATTRACT_DATA_DIR to keep the tables).',
);
console.log(`Referral code ${DEMO_REFERRAL_CODE} (a demo client's; send it as source.referralCode)`);
console.log('Ready. Ctrl-C stops every part.');

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  await runtime.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
