import { contextFromEnvironment, startLocalRuntime } from './runtime.ts';

/** `npm start`: Attract on this machine, with demo data. Ports come from ATTRACT_*_PORT variables. */
const portOf = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

const runtime = await startLocalRuntime({
  ports: {
    api: portOf('ATTRACT_API_PORT', 3000),
    mailbox: portOf('ATTRACT_MAILBOX_PORT', 8005),
    dynamodb: portOf('ATTRACT_DYNAMODB_PORT', 8000),
    stepFunctions: portOf('ATTRACT_STEPFUNCTIONS_PORT', 8083),
    events: portOf('ATTRACT_EVENTS_PORT', 8088),
  },
  context: contextFromEnvironment(),
});

console.log(`API ${runtime.urls.api}`);
console.log(`Mailbox ${runtime.urls.mailbox}`);
console.log(`DynamoDB ${runtime.urls.dynamodb}`);
console.log(`StepFunctions ${runtime.urls.stepFunctions}`);
console.log(`Events ${runtime.urls.events}`);
for (const [user, token] of Object.entries(runtime.tokens)) console.log(`Token ${user} ${token}`);
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
