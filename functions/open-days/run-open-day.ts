import * as z from 'zod';
import { Keys } from '#shared/access/keys.ts';
import { keyMaterial } from '#shared/adapters/secrets.ts';
import { runOpenDayDeps } from '#shared/composition-open-days.ts';
import { runOpenDay } from '#shared/open-days/run-open-day.ts';
import { workflowStep } from '#shared/workflow/step.ts';

const deps = runOpenDayDeps(Keys.derive(await keyMaterial()));

/** OpenDay step: one run, doing what the open day's time calls for next (docs/open-days.md). */
export const handler = workflowStep(z.object({ openDayId: z.uuid() }), ({ openDayId }) =>
  runOpenDay(deps, openDayId),
);
