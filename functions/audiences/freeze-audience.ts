import type { Context } from 'aws-lambda';
import { Keys } from '#shared/access/keys.ts';
import { keyMaterial } from '#shared/adapters/secrets.ts';
import { freezeAudience } from '#shared/audiences/freeze-audience.ts';
import { audiences } from '#shared/composition.ts';
import { logger } from '#shared/runtime.ts';

const deps = audiences(Keys.derive(await keyMaterial()));
/** Time left for the last page and the answer: a page is one query, one batched read and one transaction. */
const RESERVE_MS = 20_000;

/** AudienceFreezing's step: walks pages of prospects until the audience is frozen or time runs short. */
export const handler = async (event: { audienceId: string }, context: Context) => {
  const walked = await freezeAudience(
    deps,
    event.audienceId,
    () => context.getRemainingTimeInMillis() > RESERVE_MS,
  );
  logger.info('Audience freezing step', { audienceId: event.audienceId, ...walked });
  return { audienceId: event.audienceId, ...walked };
};
