import { inLanguage } from '../open-days/invite.ts';
import type { RegistrationDeps } from '../open-days/register.ts';
import {
  actOnRegistration,
  openRegistrationPage,
  type PageAction,
  type RegistrationPage,
  type Shown,
} from '../open-days/registration-page.ts';
import { momentIn, spanOf } from '../open-days/zoned-time.ts';
import { logger } from '../runtime.ts';
import { type Fact, factsHtml, htmlDocument, paragraph } from '../templates/email.ts';
import { escapeHtml, markup, type Templates, templatesFor } from '../templates/render.ts';
import { preferredLocale } from './accept-language.ts';
import type { ApiEvent, ApiResult } from './api.ts';
import { htmlPage, postedForm } from './html-page.ts';

/**
 * `GET /v1/open-day-registrations/{token}` shows the registration the email's link names, changing
 * nothing; `POST` with `action=give_up|take` (the page's buttons) acts on it. Public: the signed token is
 * the credential. The page is in the registrant's language, every text from the catalog's `openDayPage`,
 * every value escaped; its form posts back to the link itself (no action: it works behind any domain).
 */
export async function openDayPage(deps: RegistrationDeps, event: ApiEvent): Promise<ApiResult> {
  const token = event.pathParameters?.token ?? '';
  const readerLocale = preferredLocale(event.headers['accept-language']);
  if (event.requestContext.http.method === 'GET')
    return page(await openRegistrationPage(deps, token, readerLocale));
  const form = await postedForm(event, 4 * 1024);
  const action = form.get('action');
  const answered = await actOnRegistration(
    deps,
    token,
    typeof action === 'string' ? action : undefined,
    readerLocale,
  );
  if (answered.kind === 'done')
    logger.info('Open day registration changed on its page', { done: answered.done });
  return page(answered);
}

function page(shown: RegistrationPage): ApiResult {
  const { status, html } = renderRegistrationPage(shown);
  return htmlPage(status, html, { 'content-language': shown.locale });
}

type Rendered = { status: 200 | 400 | 403 | 404 | 409; html: string };

/** What, when, where: the title as the heading, the address or the online session's link. */
function about(t: Templates, { openDay }: Shown): string[] {
  const p = t.catalog.openDayPage;
  const { venue } = openDay;
  const facts: Fact[] = [
    [p.facts.when, spanOf(t, openDay)],
    [p.facts.where, venue.kind === 'place' ? inLanguage(venue.address, t.locale) : p.onlineVenue],
  ];
  const link =
    venue.kind === 'online'
      ? `<p>${t.html(p.online, { link: markup(`<a href="${escapeHtml(venue.url)}">${escapeHtml(venue.url)}</a>`) })}</p>`
      : '';
  return [`<h1>${escapeHtml(inLanguage(openDay.title, t.locale))}</h1>`, factsHtml(facts), link];
}

/** Where the registration stands, in a sentence. */
function stateOf(t: Templates, shown: Shown): string {
  const s = t.catalog.openDayPage.state;
  switch (shown.status) {
    case 'confirmed':
      return s.confirmed;
    case 'waitlisted':
      return s.waitlisted;
    case 'offered':
      return t.text(s.offered, { until: momentIn(t, shown.offerUntil ?? '', shown.openDay.timeZone) });
    case 'offer_ran_out':
      return s.offerRanOut;
    case 'cancelled':
      return s.cancelled;
  }
}

/** One form, a button per action: each posts `action` back to the link itself. */
function buttons(t: Templates, shown: Shown): string {
  if (shown.actions.length === 0) return '';
  const b = t.catalog.openDayPage.buttons;
  const giveUp =
    shown.status === 'waitlisted' ? b.leave : shown.status === 'offered' ? b.declineOffer : b.giveUp;
  const label: Record<PageAction, string> = { take: b.take, give_up: giveUp };
  return [
    '<form method="post">',
    ...shown.actions.map(
      (action) =>
        `<button type="submit" name="action" value="${action}">${escapeHtml(label[action])}</button>`,
    ),
    '</form>',
  ].join('\n');
}

const NOTICE_STATUS = { action_missing: 400, offer_expired: 409, not_held: 409, not_offered: 409 } as const;

export function renderRegistrationPage(shown: RegistrationPage): Rendered {
  const t = templatesFor(shown.locale);
  const p = t.catalog.openDayPage;
  if (shown.kind === 'refused')
    return {
      status: shown.reason === 'replaced' ? 404 : 403,
      html: htmlDocument(shown.locale, paragraph(p.refused[shown.reason])),
    };
  const alert = (text: string) => `<p role="alert"><strong>${escapeHtml(text)}</strong></p>`;
  const notice =
    shown.kind === 'registration' && shown.notice
      ? alert(
          {
            action_missing: p.notice.actionMissing,
            offer_expired: p.notice.offerExpired,
            not_held: p.notice.notHeld,
            not_offered: p.notice.notOffered,
          }[shown.notice],
        )
      : '';
  const ended =
    shown.openDayStatus === 'cancelled'
      ? paragraph(p.openDayCancelled)
      : shown.openDayStatus === 'held'
        ? paragraph(p.openDayHeld)
        : '';
  const outcome =
    shown.kind === 'done'
      ? paragraph({ given_up: p.done.givenUp, left: p.done.left, taken: p.done.taken }[shown.done])
      : paragraph(stateOf(t, shown));
  const body = [
    ...about(t, shown),
    paragraph(t.text(p.greeting, { name: shown.name })),
    notice,
    ended,
    outcome,
    shown.kind === 'done' ? '' : buttons(t, shown),
  ]
    .filter(Boolean)
    .join('\n');
  const status = shown.kind === 'registration' && shown.notice ? NOTICE_STATUS[shown.notice] : 200;
  return { status, html: htmlDocument(shown.locale, body) };
}
