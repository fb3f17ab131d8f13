import { recordFreezingFailure } from '#shared/audiences/freeze-audience.ts';
import { audienceRecords } from '#shared/composition.ts';
import { logger } from '#shared/runtime.ts';

const deps = audienceRecords();

/** AudienceFreezing's Catch: the audience is marked failed with the error Step Functions caught. */
export const handler = async (event: {
  audienceId: string;
  failure?: { Error?: string; Cause?: string };
}) => {
  await recordFreezingFailure(deps, event.audienceId, {
    ...(event.failure?.Error ? { error: event.failure.Error } : {}),
    ...(event.failure?.Cause ? { cause: event.failure.Cause } : {}),
  });
  logger.warn('Audience freezing failed', { audienceId: event.audienceId, error: event.failure?.Error });
  return { audienceId: event.audienceId, status: 'failed' };
};
