import { UnitWatchStore } from '#shared/adapters/work-list-store.ts';
import { documentClient } from '#shared/clients/dynamodb.ts';
import { directory } from '#shared/composition.ts';
import { apiHandler, HttpError, parseQuery, reply, staffOnly } from '#shared/http/api.ts';
import { API_ROUTES } from '#shared/http/routes.ts';
import { InvalidPageCursor } from '#shared/leads/ports.ts';
import { SlaBreachesQuery, unitLoad } from '#shared/leads/unit-overview.ts';
import { setting } from '#shared/runtime.ts';

const watch = new UnitWatchStore(documentClient(), setting('tableName'));
const managers = directory();

/** The head of unit's view of the unit: the load now (`GET /v1/unit/managers`), the SLA breaches (`GET /v1/unit/sla-breaches`). */
export const handler = apiHandler(
  async (event) => {
    if (event.routeKey === 'GET /v1/unit/managers') {
      return reply(
        API_ROUTES.listUnitManagers,
        200,
        await unitLoad({ managers, watch, now: () => new Date() }),
      );
    }
    const query = parseQuery(SlaBreachesQuery, event);
    try {
      const page = await watch.breaches({
        size: query.limit,
        ...(query.after ? { after: query.after } : {}),
      });
      return reply(API_ROUTES.listSlaBreaches, 200, { breaches: page.items, next: page.after ?? null });
    } catch (error) {
      if (!(error instanceof InvalidPageCursor)) throw error;
      throw new HttpError(400, 'validation_failed', error.message, {
        issues: [{ path: 'query.after', message: error.message }],
      });
    }
  },
  staffOnly(['head_of_unit']),
);
