import { Keys } from '#shared/access/keys.ts';
import { keyMaterial } from '#shared/adapters/secrets.ts';
import { decisionDeps } from '#shared/composition-decisions.ts';
import { type ApiResult, apiHandler, bodyText } from '#shared/http/api.ts';
import { htmlPage } from '#shared/http/html-page.ts';
import { answerByLink, openDecisionLink } from '#shared/leads/answer-by-link.ts';
import { renderDecisionPage } from '#shared/leads/decision-page.ts';

// The key secret is read once, while the execution environment starts: a missing grant fails the init.
const deps = { ...decisionDeps(), keys: Keys.derive(await keyMaterial()) };

/**
 * `GET /v1/decisions/{token}` shows the question a manager's email link asks, changing nothing (mail
 * scanners open links); `POST` with the form answers it. Public: the signed token is the credential.
 */
export const handler = apiHandler(async (event) => {
  const token = event.pathParameters?.token ?? '';
  if (event.requestContext.http.method === 'GET') return page(await openDecisionLink(deps, token));
  const form = new URLSearchParams(bodyText(event, 'application/x-www-form-urlencoded', 8 * 1024));
  return page(
    await answerByLink(deps, token, {
      reasonCode: form.get('reasonCode') ?? undefined,
      note: form.get('note') ?? undefined,
    }),
  );
});

function page(decided: Parameters<typeof renderDecisionPage>[0]): ApiResult {
  const { status, html } = renderDecisionPage(decided);
  return htmlPage(status, html);
}
