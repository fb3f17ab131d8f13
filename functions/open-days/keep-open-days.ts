import { Keys } from '#shared/access/keys.ts';
import type { Role } from '#shared/access/roles.ts';
import { keyMaterial } from '#shared/adapters/secrets.ts';
import { openDayDeps } from '#shared/composition-open-day-api.ts';
import {
  type ApiEvent,
  apiHandler,
  HttpError,
  parseJsonBody,
  parseQuery,
  pathOf,
  reply,
  requireRole,
  staffOnly,
} from '#shared/http/api.ts';
import { API_ROUTES } from '#shared/http/routes.ts';
import { type Changed, cancelOpenDay, changeOpenDay } from '#shared/open-days/change-open-day.ts';
import { checkIn } from '#shared/open-days/check-in.ts';
import { createOpenDay, OpenDayInvalid } from '#shared/open-days/keep-open-days.ts';
import {
  doorRegistration,
  OpenDayListQuery,
  openDayPath,
  openDayView,
  RegistrationListQuery,
} from '#shared/open-days/open-day-api.ts';
import { InvalidOpenDayCursor, InvalidRegistrationCursor } from '#shared/open-days/ports.ts';
import { logger } from '#shared/runtime.ts';

// The key secret is read once, while the execution environment starts: it checks the check-in codes.
const deps = { ...openDayDeps(), keys: Keys.derive(await keyMaterial()) };

/** Who works the door: the compliance officer reads open days but checks nobody in. */
const DOOR_STAFF: readonly Role[] = ['personal_manager', 'campaign_manager', 'head_of_unit'];

/**
 * The open days routes for staff (`/v1/open-days`): campaign managers plan them, staff read them, and at
 * the door staff check people in and read the list of registrations.
 */
export const handler = apiHandler(
  async (event) => {
    try {
      switch (event.routeKey) {
        case 'POST /v1/open-days': {
          requireRole(event, 'campaign_manager', 'Only campaign managers plan open days');
          const openDay = await createOpenDay(
            deps,
            event.staff?.userId ?? '',
            parseJsonBody(event, 32 * 1024),
          );
          return reply(API_ROUTES.createOpenDay, 201, openDayView(openDay));
        }
        case 'GET /v1/open-days': {
          const query = parseQuery(OpenDayListQuery, event);
          const page = await deps.openDays.list({
            limit: query.limit,
            ...(query.after ? { after: query.after } : {}),
          });
          return reply(API_ROUTES.listOpenDays, 200, {
            openDays: page.openDays.map(openDayView),
            next: page.after ?? null,
          });
        }
        case 'POST /v1/open-days/{openDayId}/changes': {
          requireRole(event, 'campaign_manager', 'Only campaign managers change open days');
          const { openDayId } = pathOf(openDayPath, event, 'No such open day');
          const changed = await changeOpenDay(deps, openDayId, parseJsonBody(event, 32 * 1024));
          return reply(API_ROUTES.changeOpenDay, 200, openDayView(changedOpenDay(changed)));
        }
        case 'POST /v1/open-days/{openDayId}/cancel': {
          requireRole(event, 'campaign_manager', 'Only campaign managers cancel open days');
          const { openDayId } = pathOf(openDayPath, event, 'No such open day');
          // The reason is optional, and so is the body.
          const body = event.body ? parseJsonBody(event, 4 * 1024) : {};
          const cancelled = await cancelOpenDay(deps, openDayId, event.staff?.userId ?? '', body);
          logger.info('Open day cancelled', { openDayId });
          return reply(API_ROUTES.cancelOpenDay, 200, openDayView(changedOpenDay(cancelled)));
        }
        case 'POST /v1/open-days/{openDayId}/check-ins':
          return await checkInAtDoor(event);
        case 'GET /v1/open-days/{openDayId}/registrations': {
          atTheDoor(event, 'Only personal managers, campaign managers and heads of unit read the door list');
          const query = parseQuery(RegistrationListQuery, event);
          const { openDayId } = await stored(event);
          const page = await deps.openDays.registrations(openDayId, {
            limit: query.limit,
            ...(query.after ? { after: query.after } : {}),
            ...(query.status ? { status: query.status } : {}),
          });
          return reply(API_ROUTES.listOpenDayRegistrations, 200, {
            registrations: page.registrations.map(doorRegistration),
            next: page.after ?? null,
          });
        }
        default:
          return reply(API_ROUTES.readOpenDay, 200, openDayView(await stored(event)));
      }
    } catch (error) {
      if (error instanceof OpenDayInvalid) {
        throw new HttpError(400, 'validation_failed', 'The open day has invalid fields', {
          issues: error.issues,
        });
      }
      if (error instanceof InvalidOpenDayCursor || error instanceof InvalidRegistrationCursor) {
        throw new HttpError(400, 'validation_failed', 'The query has invalid parameters', {
          issues: [{ path: 'query.after', message: 'Not a cursor this list handed out' }],
        });
      }
      throw error;
    }
  },
  staffOnly(['campaign_manager', 'compliance_officer', 'head_of_unit', 'personal_manager']),
);

/** The open day a change or a cancel left, or why it took none. */
function changedOpenDay(answer: Changed) {
  if (answer.kind === 'not_found') throw new HttpError(404, 'not_found', 'No such open day');
  if (answer.kind === 'not_open') {
    throw new HttpError(
      409,
      'open_day_not_open',
      answer.status === 'started'
        ? 'The open day has begun: it is not changed or cancelled any more'
        : `The open day is ${answer.status}: it is not changed any more`,
    );
  }
  return answer.openDay;
}

function atTheDoor(event: ApiEvent, message: string): void {
  if (!event.staff?.roles.some((role) => DOOR_STAFF.includes(role))) {
    throw new HttpError(403, 'forbidden', message);
  }
}

async function checkInAtDoor(event: ApiEvent) {
  atTheDoor(event, 'Only personal managers, campaign managers and heads of unit check people in');
  const { openDayId } = pathOf(openDayPath, event, 'No such open day');
  const answer = await checkIn(deps, {
    openDayId,
    body: parseJsonBody(event, 4 * 1024),
    staffId: event.staff?.userId ?? '',
  });
  switch (answer.kind) {
    case 'checked_in':
    case 'already_checked_in': {
      const { registrationId, contact, company, checkedIn } = answer.registration;
      logger.info('Open day check-in', { openDayId, registrationId, outcome: answer.kind });
      return reply(API_ROUTES.checkInToOpenDay, 200, {
        outcome: answer.kind,
        registrationId,
        name: contact.name,
        company: company.name,
        checkedInAt: checkedIn.at,
        by: checkedIn.by,
      });
    }
    case 'invalid':
      throw new HttpError(400, 'validation_failed', 'The check-in has invalid fields', {
        issues: answer.issues,
      });
    case 'invalid_code':
      throw new HttpError(422, 'invalid_code', 'This is not a valid check-in code', {
        issues: [{ path: 'code', message: refusalText[answer.reason] }],
      });
    case 'other_open_day':
      throw new HttpError(422, 'other_open_day', 'This code is for another open day', {
        issues: [{ path: 'code', message: 'a check-in code of another open day' }],
      });
    case 'no_open_day':
      throw new HttpError(404, 'not_found', 'No such open day');
    case 'no_registration':
      throw new HttpError(404, 'not_found', 'No such registration of this open day');
    case 'closed':
      throw new HttpError(
        409,
        'check_in_closed',
        `Check-in is open from ${answer.opensAt} to ${answer.closesAt}, unless the open day is cancelled`,
      );
    case 'not_confirmed': {
      const { registrationId, status } = answer.registration;
      return reply(API_ROUTES.checkInToOpenDay, 409, {
        error: {
          code: 'not_confirmed',
          message: `The registration is ${status}: only a confirmed registration is checked in`,
          registrationId,
          status,
        },
      });
    }
  }
}

const refusalText = {
  expired: 'the code has expired',
  bad_signature: 'the code is forged or altered',
  wrong_purpose: 'not a check-in code (a link of another kind)',
  malformed: 'not a check-in code',
} as const;

async function stored(event: ApiEvent) {
  const { openDayId } = pathOf(openDayPath, event, 'No such open day');
  const openDay = await deps.openDays.get(openDayId);
  if (!openDay) throw new HttpError(404, 'not_found', 'No such open day');
  return openDay;
}
