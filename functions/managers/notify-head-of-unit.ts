import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { LEAD_EVENT_SOURCE, LeadEscalated } from '#events/lead-events.ts';
import { headOfUnitAlertDeps } from '#shared/composition-notify.ts';
import { notifyHeadOfUnit } from '#shared/leads/notify-head-of-unit.ts';
import { logger } from '#shared/runtime.ts';

const deps = headOfUnitAlertDeps();

/** The bus rule's event: a LeadEscalated from the lead-intake producers, checked against its contract. */
const Input = z.object({
  source: z.literal(LEAD_EVENT_SOURCE),
  'detail-type': z.literal('LeadEscalated'),
  detail: LeadEscalated,
});

/**
 * EventBridge (asynchronous): a lead waits for the head of unit; the PM unit's mailbox is told by email,
 * once per event. A failure is retried by Lambda, then lands in the dead-letter queue (an alarm).
 */
export const handler = middy<unknown>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const { detail } = Input.parse(event);
    const outcome = await notifyHeadOfUnit(deps, detail);
    logger.info('Head of unit alert', {
      leadId: detail.leadId,
      eventId: detail.eventId,
      outcome: outcome.kind,
    });
    return { outcome: outcome.kind };
  });
