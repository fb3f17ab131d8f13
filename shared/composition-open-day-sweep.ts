import type { Keys } from './access/keys.ts';
import { NamedExecutions, openDayRuns } from './adapters/workflow-starter.ts';
import { sfnClient } from './clients/sfn.ts';
import { openDays, registrantMail } from './composition-open-days.ts';
import type { SweepDeps } from './open-days/sweep-open-days.ts';
import { setting } from './runtime.ts';

/** The minute's sweep: offers that ran out, emails still owed. */
export const sweepDeps = (keys: Keys): SweepDeps => {
  const store = openDays();
  return {
    openDays: store,
    now: () => new Date(),
    tell: registrantMail(keys, store),
    runs: openDayRuns(new NamedExecutions(sfnClient(), setting('openDayStateMachineArn'))),
  };
};
