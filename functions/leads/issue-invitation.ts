import { Keys } from '#shared/access/keys.ts';
import { keyMaterial } from '#shared/adapters/secrets.ts';
import { apiHandler, HttpError, jsonBody, reply, staffOnly } from '#shared/http/api.ts';
import { API_ROUTES } from '#shared/http/routes.ts';
import { InvitationRequest, issueInvitation } from '#shared/leads/invitation.ts';
import { formatIssues } from '#shared/leads/lead-submission.ts';

const keys = Keys.derive(await keyMaterial());

/** POST /v1/invitations (campaign managers): the signed token a letter's or an invitation's link carries. */
export const handler = apiHandler(
  async (event) => {
    const request = InvitationRequest.safeParse(event.jsonBody);
    if (!request.success) {
      throw new HttpError(400, 'validation_failed', 'The request has invalid fields', {
        issues: formatIssues(request.error),
      });
    }
    const issued = await issueInvitation({ keys, now: () => new Date() }, request.data);
    return reply(API_ROUTES.issueInvitation, 201, issued);
  },
  // The role first: a caller who may not issue links learns nothing from how its body is judged.
  staffOnly(['campaign_manager']),
  jsonBody(4 * 1024),
);
