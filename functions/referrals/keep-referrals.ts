import { Keys } from '#shared/access/keys.ts';
import { keyMaterial } from '#shared/adapters/secrets.ts';
import { programmeDeps } from '#shared/composition-referrals.ts';
import {
  apiHandler,
  HttpError,
  parseJsonBody,
  pathOf,
  reply,
  requireRole,
  staffOnly,
} from '#shared/http/api.ts';
import { API_ROUTES } from '#shared/http/routes.ts';
import {
  deactivateReferralCode,
  issueReferralCode,
  readReferralCode,
  referralsOfCode,
  reviewReferral,
} from '#shared/referrals/programme.ts';
import { logger } from '#shared/runtime.ts';

// The key secret signs the referrer's status links; read once, while the execution environment starts.
const deps = programmeDeps(Keys.derive(await keyMaterial()));

const CODE_PATH = API_ROUTES.readReferralCode.request.params;
const REFERRAL_PATH = API_ROUTES.reviewReferral.request.params;
const NO_CODE = 'No such referral code';

/**
 * The referral programme's staff routes (docs/referrals.md): campaign managers issue, read and deactivate
 * codes; they and compliance officers list a client's referrals and review flagged ones.
 */
export const handler = apiHandler(
  async (event) => {
    const by = event.staff?.userId ?? '';
    switch (event.routeKey) {
      case 'POST /v1/referral-codes': {
        requireRole(event, 'campaign_manager', 'Only campaign managers issue referral codes');
        const answer = await issueReferralCode(deps, by, parseJsonBody(event, 8 * 1024));
        if (answer.kind === 'invalid') {
          throw new HttpError(400, 'validation_failed', 'The request has invalid fields', {
            issues: answer.issues,
          });
        }
        if (answer.kind === 'not_a_client') {
          throw new HttpError(404, 'not_a_client', 'No existing client has this INN');
        }
        logger.info('Referral code issued', { clientId: answer.code.clientId, outcome: answer.kind });
        return answer.kind === 'issued'
          ? reply(API_ROUTES.issueReferralCode, 201, answer.code)
          : reply(API_ROUTES.issueReferralCode, 200, answer.code);
      }
      case 'GET /v1/referral-codes/{code}': {
        requireRole(event, 'campaign_manager', 'Only campaign managers read referral codes');
        const view = await readReferralCode(deps, pathOf(CODE_PATH, event, NO_CODE).code);
        if (!view) throw new HttpError(404, 'not_found', NO_CODE);
        return reply(API_ROUTES.readReferralCode, 200, view);
      }
      case 'POST /v1/referral-codes/{code}/deactivate': {
        requireRole(event, 'campaign_manager', 'Only campaign managers deactivate referral codes');
        const view = await deactivateReferralCode(deps, by, pathOf(CODE_PATH, event, NO_CODE).code);
        if (!view) throw new HttpError(404, 'not_found', NO_CODE);
        logger.info('Referral code deactivated', { clientId: view.clientId });
        return reply(API_ROUTES.deactivateReferralCode, 200, view);
      }
      case 'GET /v1/referral-codes/{code}/referrals': {
        const listed = await referralsOfCode(deps, pathOf(CODE_PATH, event, NO_CODE).code);
        if (!listed) throw new HttpError(404, 'not_found', NO_CODE);
        return reply(API_ROUTES.listReferrals, 200, listed);
      }
      default: {
        const { code, leadId } = pathOf(REFERRAL_PATH, event, 'No such referral');
        const answer = await reviewReferral(deps, by, code, leadId, parseJsonBody(event, 4 * 1024));
        switch (answer.kind) {
          case 'invalid':
            throw new HttpError(400, 'validation_failed', 'The review has invalid fields', {
              issues: answer.issues,
            });
          case 'not_found':
            throw new HttpError(404, 'not_found', 'No such referral');
          case 'not_flagged':
            throw new HttpError(409, 'not_flagged', 'The referral has no flags to review');
          case 'already_reviewed':
            throw new HttpError(409, 'already_reviewed', 'The referral was reviewed before');
          case 'reviewed':
            logger.info('Referral reviewed', { leadId, decision: answer.referral.review?.decision });
            return reply(API_ROUTES.reviewReferral, 200, answer.referral);
        }
      }
    }
  },
  staffOnly(['campaign_manager', 'compliance_officer']),
);
