import { Keys } from '#shared/access/keys.ts';
import { keyMaterial } from '#shared/adapters/secrets.ts';
import { statusLinkDeps } from '#shared/composition-referrals.ts';
import { preferredLocale } from '#shared/http/accept-language.ts';
import { apiHandler } from '#shared/http/api.ts';
import { htmlPage } from '#shared/http/html-page.ts';
import { openStatusPage, renderStatusPage } from '#shared/referrals/status-page.ts';

// The key secret is read once, while the execution environment starts: a missing grant fails the init.
const deps = statusLinkDeps(Keys.derive(await keyMaterial()));

/**
 * `GET /v1/referral-status/{token}`: a referrer's referrals and their statuses, by its signed link; public,
 * the token is the credential. Reading changes nothing.
 */
export const handler = apiHandler(async (event) => {
  const locale = preferredLocale(event.headers['accept-language']);
  const page = await openStatusPage(deps, event.pathParameters?.token ?? '', locale);
  const { status, html } = renderStatusPage(page);
  return htmlPage(status, html, { 'content-language': locale });
});
