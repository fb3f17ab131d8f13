import { clientAddressOf, trustedProxiesOf } from '#shared/access/client-address.ts';
import { Keys } from '#shared/access/keys.ts';
import { keyMaterial } from '#shared/adapters/secrets.ts';
import { unsubscribeDeps } from '#shared/composition-letters.ts';
import { userAgentOf } from '#shared/consents/evidence.ts';
import { preferredLocale } from '#shared/http/accept-language.ts';
import { apiHandler } from '#shared/http/api.ts';
import { htmlPage, postedForm } from '#shared/http/html-page.ts';
import { renderUnsubscribePage } from '#shared/letters/letter-pages.ts';
import { openUnsubscribeLink, unsubscribeByLink } from '#shared/letters/unsubscribe-link.ts';
import { optionalSetting } from '#shared/runtime.ts';

// The key secret is read once, while the execution environment starts: a missing grant fails the init.
const deps = unsubscribeDeps(Keys.derive(await keyMaterial()));
const proxies = optionalSetting('trustedProxies');
const trustedProxies = proxies ? trustedProxiesOf(proxies) : undefined;

/**
 * `GET /v1/unsubscribe/{token}` asks, changing nothing (link scanners fetch GETs); `POST` with
 * `List-Unsubscribe=One-Click` (RFC 8058, or the page's button) unsubscribes at once: a withdrawal of
 * marketing consent, recorded with the client's address and user agent. Public: the signed token is the
 * credential.
 */
export const handler = apiHandler(async (event) => {
  const token = event.pathParameters?.token ?? '';
  const locale = preferredLocale(event.headers['accept-language']);
  if (event.requestContext.http.method === 'GET') {
    const { status, html } = renderUnsubscribePage(await openUnsubscribeLink(deps, token, locale));
    return htmlPage(status, html, { 'content-language': locale });
  }
  const form = await postedForm(event, 8 * 1024);
  const oneClick = form.get('List-Unsubscribe') === 'One-Click';
  const ip = clientAddressOf(
    event.requestContext.http.sourceIp,
    event.headers['x-forwarded-for'],
    trustedProxies,
  );
  const userAgent = userAgentOf(event.headers['user-agent']);
  const client = { ip, ...(userAgent ? { userAgent } : {}) };
  const { status, html } = renderUnsubscribePage(
    await unsubscribeByLink(deps, token, { oneClick, client }, locale),
  );
  return htmlPage(status, html, { 'content-language': locale });
});
