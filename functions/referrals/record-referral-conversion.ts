import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { LEAD_EVENT_SOURCE, LeadConverted } from '#events/lead-events.ts';
import { Keys } from '#shared/access/keys.ts';
import { keyMaterial } from '#shared/adapters/secrets.ts';
import { conversionDeps } from '#shared/composition-referral-conversion.ts';
import { recordReferralConversion } from '#shared/referrals/record-conversion.ts';
import { logger } from '#shared/runtime.ts';

// The key secret hashes the company's INN (its referral claim) and signs the status link in the email.
const deps = conversionDeps(Keys.derive(await keyMaterial()));

/** The bus rule's event: a LeadConverted from recordOutcome, checked against its contract. */
const Input = z.object({
  source: z.literal(LEAD_EVENT_SOURCE),
  'detail-type': z.literal('LeadConverted'),
  detail: LeadConverted,
});

/**
 * EventBridge (asynchronous): a lead was converted; if a referral brought it, the referral is converted
 * and the referrer told by email, when both consented (docs/referrals.md). A failure is retried by Lambda,
 * then lands in the dead-letter queue (an alarm).
 */
export const handler = middy<unknown>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const { detail } = Input.parse(event);
    const outcome = await recordReferralConversion(deps, detail);
    logger.info('Referral conversion', {
      leadId: detail.leadId,
      outcome: outcome.kind,
      ...('why' in outcome ? { why: outcome.why } : {}),
    });
    return { outcome: outcome.kind };
  });
