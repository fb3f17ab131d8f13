import type { CaptureDeps } from '../leads/capture-lead.ts';
import { captureOfflineLead } from '../leads/capture-offline-lead.ts';
import { logger } from '../runtime.ts';
import { type ApiEvent, type ApiResult, admitStaff, HttpError, parseJsonBody, reply } from './api.ts';
import { API_ROUTES } from './routes.ts';

/**
 * `POST /v1/offline-leads` (campaign managers: the bank's acquisition managers, docs/offline-leads.md):
 * a lead met offline, through the capture path CaptureLead serves the web form with.
 */
export async function offlineLead(deps: CaptureDeps, event: ApiEvent): Promise<ApiResult> {
  const staff = admitStaff(event, ['campaign_manager'], 'Only campaign managers record offline leads');
  const answer = await captureOfflineLead(deps, {
    by: staff.userId,
    body: parseJsonBody(event, 16 * 1024),
    ...(event.headers['idempotency-key'] !== undefined
      ? { idempotencyKey: event.headers['idempotency-key'] }
      : {}),
  });
  switch (answer.kind) {
    case 'accepted':
      logger.info('Offline lead accepted', { leadId: answer.leadId, outcome: answer.outcome });
      return reply(API_ROUTES.submitOfflineLead, 202, { leadId: answer.leadId });
    case 'invalid':
      throw new HttpError(400, 'validation_failed', 'The lead has invalid fields', { issues: answer.issues });
    case 'enquiry_limit_reached':
      throw new HttpError(
        429,
        'too_many_enquiries',
        'This company has many recent enquiries; the bank has them all',
      );
    case 'idempotency_conflict':
      throw new HttpError(
        409,
        'idempotency_conflict',
        'This Idempotency-Key was used for a different request',
      );
    case 'rate_limited':
      // The bank's own submissions are not rate-limited (captureOfflineLead).
      throw new Error('An offline lead was rate-limited');
  }
}
