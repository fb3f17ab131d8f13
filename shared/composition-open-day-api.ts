import { randomUUID } from 'node:crypto';
import { OpenDayStore } from './adapters/open-day-store.ts';
import { NamedExecutions, openDayRuns } from './adapters/workflow-starter.ts';
import { documentClient } from './clients/dynamodb.ts';
import { sfnClient } from './clients/sfn.ts';
import { directory } from './composition.ts';
import type { OpenDayDeps } from './open-days/keep-open-days.ts';
import { setting } from './runtime.ts';

/** The campaign manager's open days: the table, and the directory for the hosts (no SES: it sends nothing). */
export const openDayDeps = (): OpenDayDeps => ({
  openDays: new OpenDayStore(documentClient(), setting('tableName')),
  managers: directory(),
  runs: openDayRuns(new NamedExecutions(sfnClient(), setting('openDayStateMachineArn'))),
  now: () => new Date(),
  newId: randomUUID,
});
