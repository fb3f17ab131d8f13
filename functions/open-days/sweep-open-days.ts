import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { Keys } from '#shared/access/keys.ts';
import { keyMaterial } from '#shared/adapters/secrets.ts';
import { sweepDeps } from '#shared/composition-open-day-sweep.ts';
import { sweepOpenDays } from '#shared/open-days/sweep-open-days.ts';
import { logger } from '#shared/runtime.ts';

// The key signs the links of the emails it sends; read once, while the environment starts.
const deps = sweepDeps(Keys.derive(await keyMaterial()));

/**
 * Scheduled every minute: offers of freed seats that ran out pass on; changes of open days reach their
 * registrants; registrants' owed emails go out.
 */
export const handler = middy<unknown>()
  .use(injectLambdaContext(logger))
  .handler(async () => {
    const result = await sweepOpenDays(deps);
    // Emails owed past the grace are ones a request failed to send, or a change's: counted, never named.
    if (result.told || result.changes) logger.info('Open days swept', result);
    return result;
  });
