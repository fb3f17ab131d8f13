import { clientAddressOf, trustedProxiesOf } from '#shared/access/client-address.ts';
import { Keys } from '#shared/access/keys.ts';
import { keyMaterial } from '#shared/adapters/secrets.ts';
import { withdrawalLinkDeps } from '#shared/composition-consents.ts';
import { userAgentOf } from '#shared/consents/evidence.ts';
import { openWithdrawalLink, withdrawByLink } from '#shared/consents/withdrawal-link.ts';
import { renderWithdrawalPage } from '#shared/consents/withdrawal-page.ts';
import { preferredLocale } from '#shared/http/accept-language.ts';
import { apiHandler } from '#shared/http/api.ts';
import { htmlPage, postedForm } from '#shared/http/html-page.ts';
import { logger, optionalSetting } from '#shared/runtime.ts';

// The key secret is read once, while the execution environment starts: a missing grant fails the init.
const deps = withdrawalLinkDeps(Keys.derive(await keyMaterial()));
const proxies = optionalSetting('trustedProxies');
const trustedProxies = proxies ? trustedProxiesOf(proxies) : undefined;

/**
 * `GET /v1/consents/withdraw/{token}` asks, changing nothing (mail scanners fetch links); `POST` with
 * `List-Unsubscribe=One-Click` (the page's button, or a mail provider) withdraws at once and records it
 * with the client's address and user agent. Public: the signed token is the credential.
 */
export const handler = apiHandler(async (event) => {
  const token = event.pathParameters?.token ?? '';
  const locale = preferredLocale(event.headers['accept-language']);
  if (event.requestContext.http.method === 'GET') {
    const { status, html } = renderWithdrawalPage(await openWithdrawalLink(deps, token, locale));
    return htmlPage(status, html, { 'content-language': locale });
  }
  const form = await postedForm(event, 8 * 1024);
  const ip = clientAddressOf(
    event.requestContext.http.sourceIp,
    event.headers['x-forwarded-for'],
    trustedProxies,
  );
  const userAgent = userAgentOf(event.headers['user-agent']);
  const page = await withdrawByLink(
    deps,
    token,
    {
      oneClick: form.get('List-Unsubscribe') === 'One-Click',
      client: { ip, ...(userAgent ? { userAgent } : {}) },
    },
    locale,
  );
  if (page.kind === 'done') logger.info('Consent withdrawn by link', { purposes: page.withdrawal.withdrawn });
  const { status, html } = renderWithdrawalPage(page);
  return htmlPage(status, html, { 'content-language': locale });
});
