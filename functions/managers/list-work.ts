import { WorkListStore } from '#shared/adapters/work-list-store.ts';
import { documentClient } from '#shared/clients/dynamodb.ts';
import { apiHandler, HttpError, parseQuery, reply, staffOnly } from '#shared/http/api.ts';
import { API_ROUTES } from '#shared/http/routes.ts';
import { InvalidPageCursor, type WorkList } from '#shared/leads/ports.ts';
import { MyLeadsQuery, WaitingLeadsQuery, workListItem } from '#shared/leads/work-list-view.ts';
import { setting } from '#shared/runtime.ts';

const lists = new WorkListStore(documentClient(), setting('tableName'));

/** The work lists: a manager's own leads (`GET /v1/my-leads`), the head of unit's waiting ones (`GET /v1/unit/waiting-leads`). */
export const handler = apiHandler(
  async (event) => {
    const mine = event.routeKey === 'GET /v1/my-leads';
    const roles = event.staff?.roles ?? [];
    const managerId = event.staff?.managerId;
    if (mine ? !(roles.includes('personal_manager') && managerId) : !roles.includes('head_of_unit')) {
      throw new HttpError(403, 'forbidden', 'Your role does not allow this');
    }
    const query = parseQuery(mine ? MyLeadsQuery : WaitingLeadsQuery, event);
    const list: WorkList = mine ? { managerId: managerId ?? '' } : 'head_of_unit';
    try {
      const page = await lists.page(list, {
        size: query.limit,
        ...(query.status ? { status: query.status } : {}),
        ...(query.after ? { after: query.after } : {}),
      });
      const body = { leads: page.items.map(workListItem), next: page.after ?? null };
      return mine ? reply(API_ROUTES.listMyLeads, 200, body) : reply(API_ROUTES.listWaitingLeads, 200, body);
    } catch (error) {
      if (!(error instanceof InvalidPageCursor)) throw error;
      throw new HttpError(400, 'validation_failed', error.message, {
        issues: [{ path: 'query.after', message: error.message }],
      });
    }
  },
  staffOnly(['personal_manager', 'head_of_unit']),
);
