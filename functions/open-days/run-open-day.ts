import * as z from 'zod';
import { Keys } from '#shared/access/keys.ts';
import { keyMaterial } from '#shared/adapters/secrets.ts';
import { runOpenDayDeps } from '#shared/composition-open-days.ts';
import { runOpenDay } from '#shared/open-days/run-open-day.ts';
import { workflowStep } from '#shared/workflow/step.ts';

const deps = runOpenDayDeps(Keys.derive(await keyMaterial()));

/** OpenDay step: one run, doing what the open day's time calls for next (docs/open-days.md). */
export const handler = workflowStep(
  // The run's own name (`$$.Execution.Name`): only the open day's current run does its work.
  z.object({ openDayId: z.uuid(), run: z.string().min(1).max(80) }),
  ({ openDayId, run }) => runOpenDay(deps, openDayId, run),
);
