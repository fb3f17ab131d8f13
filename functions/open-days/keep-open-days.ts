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
import { createOpenDay, OpenDayInvalid } from '#shared/open-days/keep-open-days.ts';
import { OpenDayListQuery, openDayPath, openDayView } from '#shared/open-days/open-day-api.ts';
import { InvalidOpenDayCursor } from '#shared/open-days/ports.ts';

const deps = openDayDeps();

/** The open days routes for staff (`/v1/open-days`): campaign managers plan them, staff read them. */
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
        default:
          return reply(API_ROUTES.readOpenDay, 200, openDayView(await stored(event)));
      }
    } catch (error) {
      if (error instanceof OpenDayInvalid) {
        throw new HttpError(400, 'validation_failed', 'The open day has invalid fields', {
          issues: error.issues,
        });
      }
      if (error instanceof InvalidOpenDayCursor) {
        throw new HttpError(400, 'validation_failed', 'The query has invalid parameters', {
          issues: [{ path: 'query.after', message: 'Not a cursor this list handed out' }],
        });
      }
      throw error;
    }
  },
  staffOnly(['campaign_manager', 'compliance_officer', 'head_of_unit', 'personal_manager']),
);

async function stored(event: ApiEvent) {
  const { openDayId } = pathOf(openDayPath, event, 'No such open day');
  const openDay = await deps.openDays.get(openDayId);
  if (!openDay) throw new HttpError(404, 'not_found', 'No such open day');
  return openDay;
}
