import {
  NewOpenDayBody,
  OpenDayList,
  OpenDayListQuery,
  OpenDayView,
  openDayPath,
  PublishedRegistration,
  RegistrationAnswer,
  RegistrationLinkAnswer,
  registrationTokenPath,
} from '../open-days/open-day-api.ts';
import { type ApiRoute, failure, readerLanguage } from './route-kit.ts';

const readers = '(campaign manager, compliance officer, head of unit, personal manager)';
const linkFailures = {
  403: failure('The link is forged, altered, expired, or not a registration link'),
  404: failure('The registration the link names was given up and made again: the newer email has its links'),
};

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
} as const satisfies Record<string, ApiRoute>;
