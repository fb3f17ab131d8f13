import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { SesEvent } from '#events/ses-events.ts';
import { Keys } from '#shared/access/keys.ts';
import { keyMaterial } from '#shared/adapters/secrets.ts';
import { letterEventDeps } from '#shared/composition-letter-events.ts';
import { recordLetterEvent } from '#shared/letters/letter-events.ts';
import { logger } from '#shared/runtime.ts';

// The key secret is read once, while the execution environment starts: a missing grant fails the init.
const deps = letterEventDeps(Keys.derive(await keyMaterial()));

/**
 * EventBridge (asynchronous, default bus): SES's event about a letter sent with the letters' configuration
 * set. A hard bounce or a complaint suppresses the address. An event off the contract fails, is retried
 * by Lambda, then lands in the dead-letter queue (an alarm). Logs name the message and campaign, never
 * an address.
 */
export const handler = middy<unknown>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const { detail } = SesEvent.parse(event);
    const result = await recordLetterEvent(deps, detail);
    logger.info('Letter event', {
      eventType: detail.eventType,
      messageId: detail.mail.messageId,
      suppressed: result.suppressed,
      ...(result.reason ? { reason: result.reason } : {}),
      ...(result.letter ? { campaignId: result.letter.campaignId, step: result.letter.step } : {}),
    });
    return { suppressed: result.suppressed };
  });
