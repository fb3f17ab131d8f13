import { renderResponsePage } from '../letters/letter-pages.ts';
import {
  openLetterResponse,
  type ResponseDeps,
  type ResponsePage,
  respondToLetter,
} from '../letters/respond-to-letter.ts';
import { logger } from '../runtime.ts';
import { preferredLocale } from './accept-language.ts';
import type { ApiEvent, ApiResult } from './api.ts';
import { htmlPage, postedForm } from './html-page.ts';

/**
 * `GET /v1/letters/respond/{token}` shows the prefilled form, changing nothing; `POST` sends it through the
 * capture path CaptureLead serves the web form with. Public: the signed token names the prospect.
 */
export async function letterResponse(
  deps: ResponseDeps,
  event: ApiEvent,
  clientAddress: string,
): Promise<ApiResult> {
  const token = event.pathParameters?.token ?? '';
  const readerLocale = preferredLocale(event.headers['accept-language']);
  if (event.requestContext.http.method === 'GET')
    return page(await openLetterResponse(deps, token, readerLocale));
  const form = await postedForm(event, 16 * 1024, ['application/x-www-form-urlencoded']);
  const field = (name: string) => String(form.get(name) ?? '');
  const answered = await respondToLetter(
    deps,
    token,
    {
      companyName: field('companyName'),
      inn: field('inn'),
      contactName: field('contactName'),
      email: field('email'),
      phone: field('phone'),
      products: form.getAll('products').map(String),
      message: field('message'),
      consent: form.get('consent') === 'on',
    },
    {
      clientAddress,
      readerLocale,
      ...(event.headers['user-agent'] !== undefined ? { userAgent: event.headers['user-agent'] } : {}),
    },
  );
  if (answered.kind === 'done') logger.info('Letter response accepted');
  return page(answered);
}

function page(shown: ResponsePage): ApiResult {
  const { status, html } = renderResponsePage(shown);
  const headers: Record<string, string> = { 'content-language': shown.locale };
  if (shown.kind === 'busy' && shown.retryAfterSeconds)
    headers['retry-after'] = String(shown.retryAfterSeconds);
  return htmlPage(status, html, headers);
}
