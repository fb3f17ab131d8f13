import * as z from 'zod';
import {
  CancelOpenDayBody,
  ChangeOpenDayBody,
  CheckInAnswer,
  CheckInBody,
  NewOpenDayBody,
  NotConfirmedBody,
  OpenDayList,
  OpenDayListQuery,
  OpenDayView,
  openDayPath,
  PublishedRegistration,
  RegistrationAnswer,
  RegistrationLinkAnswer,
  RegistrationList,
  RegistrationListQuery,
  registrationTokenPath,
} from '../open-days/open-day-api.ts';
import type { PageAction } from '../open-days/registration-page.ts';
import { ErrorBody } from './errors.ts';
import { type ApiRoute, failure, html, readerLanguage } from './route-kit.ts';

const readers = '(campaign manager, compliance officer, head of unit, personal manager)';
const doorStaff = '(personal manager, campaign manager, head of unit)';
const linkFailures = {
  403: failure('The link is forged, altered, expired, or not a registration link'),
  404: failure('The registration the link names was given up and made again: the newer email has its links'),
};

/** The page's buttons (a type import only: the route table stays free of the domain's code in every bundle). */
const PAGE_BUTTONS = ['give_up', 'take'] as const satisfies readonly PageAction[];

/** What the page of a registration's link answers, in the registrant's language. */
const linkPages = (ok: string) => ({
  200: html(ok),
  403: html(
    "The link is forged, altered, expired, or not a registration link: a page in the reader's language, naming nobody",
  ),
  404: html(
    'The registration the link names was given up and made again: a page pointing to the newer email',
  ),
});

/** Open days (docs/open-days.md): campaign managers plan them, prospects register and manage by signed links. */
export const OPEN_DAY_ROUTES = {
  createOpenDay: {
    method: 'POST',
    path: '/v1/open-days',
    access: 'staff',
    summary: 'Plan an open day: when, where, how many seats, who hosts (campaign manager)',
    function: 'keepOpenDays',
    request: { body: NewOpenDayBody },
    responses: {
      201: { description: 'The open day, taking registrations', schema: OpenDayView },
      400: failure('Invalid fields: `issues` name each (`endsAt`, `hosts.0`) with why'),
      403: failure('Only campaign managers plan open days'),
      413: failure('The body is over 32 KB'),
      415: failure('The body is not application/json'),
    },
  },
  listOpenDays: {
    method: 'GET',
    path: '/v1/open-days',
    access: 'staff',
    summary: `Open days, latest start first, a page at a time ${readers}`,
    function: 'keepOpenDays',
    request: { query: OpenDayListQuery },
    responses: {
      200: { description: 'A page of open days', schema: OpenDayList },
      400: failure('Invalid query parameters, or an `after` no earlier page handed out'),
    },
  },
  readOpenDay: {
    method: 'GET',
    path: '/v1/open-days/{openDayId}',
    access: 'staff',
    summary: `An open day with its seats taken and its waitlist ${readers}`,
    function: 'keepOpenDays',
    request: { params: openDayPath },
    responses: {
      200: { description: 'The open day', schema: OpenDayView },
      404: failure('No such open day'),
    },
  },
  changeOpenDay: {
    method: 'POST',
    path: '/v1/open-days/{openDayId}/changes',
    access: 'staff',
    summary:
      'Change a planned open day: any of its fields; a change of what, when or where is told to everyone registered, with their calendar entry updated (campaign manager)',
    function: 'keepOpenDays',
    request: { params: openDayPath, body: ChangeOpenDayBody },
    responses: {
      200: {
        description:
          'The open day as changed (or as it was, when nothing differed); registrants are told within minutes',
        schema: OpenDayView,
      },
      400: failure(
        'Invalid fields, checked with the rest of the open day (`endsAt`, `capacity` below the seats held, `hosts.0`)',
      ),
      403: failure('Only campaign managers change open days'),
      404: failure('No such open day'),
      409: failure('`open_day_not_open`: cancelled, held, or begun already'),
      413: failure('The body is over 32 KB'),
      415: failure('The body is not application/json'),
    },
  },
  cancelOpenDay: {
    method: 'POST',
    path: '/v1/open-days/{openDayId}/cancel',
    access: 'staff',
    summary:
      'Cancel a planned open day: registration closes, everyone registered is told, and calendar entries are cancelled (campaign manager)',
    function: 'keepOpenDays',
    request: { params: openDayPath, body: CancelOpenDayBody },
    responses: {
      200: { description: 'Cancelled (a repeated cancel answers the same)', schema: OpenDayView },
      400: failure('Invalid fields: `reason` too long'),
      403: failure('Only campaign managers cancel open days'),
      404: failure('No such open day'),
      409: failure('`open_day_not_open`: held, or begun already'),
      415: failure('The body is not application/json'),
    },
  },
  registerForOpenDay: {
    method: 'POST',
    path: '/v1/open-days/{openDayId}/registrations',
    access: 'public',
    summary: 'Register for an open day (public form): a seat, or a place in line when it is full',
    function: 'openDayRegistrations',
    request: { params: openDayPath, headers: readerLanguage, body: PublishedRegistration },
    responses: {
      201: {
        description: 'Registered: a seat or a place in line; the email follows',
        schema: RegistrationAnswer,
      },
      200: {
        description: 'This address is registered already: its registration (one per address per open day)',
        schema: RegistrationAnswer,
      },
      400: failure('Invalid fields or malformed JSON; `issues` name them'),
      404: failure('No such open day'),
      409: failure('`registration_closed`: the deadline has passed, or the open day was cancelled'),
      413: failure('The body is over 16 KB'),
      415: failure('The body is not application/json'),
      429: failure('Too many submissions from this client; `retry-after` says when to try again'),
    },
  },
  openRegistrationPage: {
    method: 'GET',
    path: '/v1/open-day-registrations/{token}',
    access: 'public',
    summary:
      "The page a registrant's email link opens: the open day and where the registration stands, with its buttons; opening it changes nothing",
    function: 'openDayRegistrations',
    request: { params: registrationTokenPath, headers: readerLanguage },
    responses: linkPages(
      'The open day (what, when in its time zone, where) and the registration: a seat kept, a place in line, a seat held until a time (take it or give it up), or given up',
    ),
  },
  actOnRegistration: {
    method: 'POST',
    path: '/v1/open-day-registrations/{token}',
    access: 'public',
    summary:
      "The buttons of a registration's page: give the seat (or the place in line) up, or take the seat offered; the page of the result",
    function: 'openDayRegistrations',
    request: {
      params: registrationTokenPath,
      headers: readerLanguage,
      body: z.object({ action: z.enum(PAGE_BUTTONS) }).meta({
        description:
          '`give_up`: give the seat, the offered seat or the place in line up (the seat goes to the next in line); `take`: take the seat offered. `multipart/form-data` is read too',
      }),
      bodyType: 'application/x-www-form-urlencoded',
    },
    responses: {
      ...linkPages('Done: the seat (or the place in line) given up, or the offered seat taken'),
      400: html(
        'The page again, asking to press a button: `action` was missing or neither `give_up` nor `take`',
      ),
      409: html(
        'The page as the registration now stands, saying why nothing changed: the offer ran out and the seat passed on, the registration was given up already, or no seat is offered',
      ),
      413: failure('The form is over 4 KB'),
      415: failure('The body is not a form'),
    },
  },
  giveUpRegistration: {
    method: 'POST',
    path: '/v1/open-day-registrations/{token}/give-up',
    access: 'public',
    summary:
      "Give a seat, an offered seat or a place in line up (the email's signed link); the seat goes to the next in line",
    function: 'openDayRegistrations',
    request: { params: registrationTokenPath },
    responses: {
      200: { description: 'Given up', schema: RegistrationLinkAnswer },
      ...linkFailures,
      409: failure('`not_held`: given up already'),
    },
  },
  takeOfferedSeat: {
    method: 'POST',
    path: '/v1/open-day-registrations/{token}/take',
    access: 'public',
    summary: "Take the seat offered from the waitlist, while the offer holds (the email's signed link)",
    function: 'openDayRegistrations',
    request: { params: registrationTokenPath },
    responses: {
      200: { description: 'The seat is yours', schema: RegistrationLinkAnswer },
      ...linkFailures,
      409: failure(
        '`offer_expired`: the offer ran out and the seat passed on; `not_offered`: no seat is offered',
      ),
    },
  },
  checkInToOpenDay: {
    method: 'POST',
    path: '/v1/open-days/{openDayId}/check-ins',
    access: 'staff',
    summary: `Check a person in at the door: a scan of the code from their confirmation, or their registration picked from the list ${doorStaff}`,
    function: 'keepOpenDays',
    request: { params: openDayPath, body: CheckInBody },
    responses: {
      200: {
        description:
          'Checked in now (`checked_in`, counted in `attended`), or a repeat (`already_checked_in`: when and by whom, not counted again); their name and company',
        schema: CheckInAnswer,
      },
      400: failure('Invalid body: `code` or `registrationId`, exactly one; `issues` name the field'),
      403: failure('Only personal managers, campaign managers and heads of unit check people in'),
      404: failure(
        'No such open day, or no such registration of it (a code of a registration given up and made again: the newer confirmation has its code)',
      ),
      409: {
        description:
          "`check_in_closed`: outside the doors' hours (2 hours before the start to 2 hours after the end) or the open day was cancelled; `not_confirmed`: the registration is waitlisted, offered or cancelled (its `status`)",
        schema: z.union([ErrorBody, NotConfirmedBody]),
      },
      413: failure('The body is over 4 KB'),
      415: failure('The body is not application/json'),
      422: failure(
        '`invalid_code`: the code is forged, altered, expired or not a check-in code; `other_open_day`: a genuine code of another open day. `issues` name `code`',
      ),
    },
  },
  listOpenDayRegistrations: {
    method: 'GET',
    path: '/v1/open-days/{openDayId}/registrations',
    access: 'staff',
    summary: `The door list: an open day's registrations, a page at a time, with who is checked in; names and companies, no contacts ${doorStaff}`,
    function: 'keepOpenDays',
    request: { params: openDayPath, query: RegistrationListQuery },
    responses: {
      200: {
        description:
          "A page of registrations, in the order of their keys (not by name); `next` is the following page's cursor, null at the end",
        schema: RegistrationList,
      },
      400: failure('Invalid query parameters, or an `after` no earlier page handed out'),
      403: failure('Only personal managers, campaign managers and heads of unit read the door list'),
      404: failure('No such open day'),
    },
  },
} as const satisfies Record<string, ApiRoute>;
