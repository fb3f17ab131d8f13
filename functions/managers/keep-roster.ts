import { roster } from '#shared/composition.ts';
import {
  type ApiEvent,
  apiHandler,
  bodyText,
  HttpError,
  parseJsonBody,
  parseQuery,
  reply,
  requireRole,
  staffOnly,
} from '#shared/http/api.ts';
import { API_ROUTES } from '#shared/http/routes.ts';
import { formatIssues } from '#shared/leads/lead-submission.ts';
import { entryOf, RosterConflict, type SaveOutcome, saveManagers } from '#shared/managers/keep-roster.ts';
import {
  ManagerView,
  managerPath,
  ROSTER_FILE_MAX_BYTES,
  RosterChangesQuery,
  RosterEntryBody,
} from '#shared/managers/roster-api.ts';
import { formatRosterCsv, parseRosterCsv } from '#shared/managers/roster-csv.ts';

const deps = roster();

/** The roster routes (`/v1/managers`, `/v1/roster-imports`): kept by the head of the PM unit, every change audited. */
export const handler = apiHandler(
  async (event) => {
    const by = event.staff?.userId ?? '';
    switch (event.routeKey) {
      case 'GET /v1/managers':
        requireRole(event, 'head_of_unit');
        return reply(API_ROUTES.listManagers, 200, {
          managers: (await deps.roster.list()).map((m) => ManagerView.parse(m)),
        });
      case 'GET /v1/managers/{managerId}': {
        requireRole(event, 'head_of_unit');
        const manager = await deps.roster.get(managerIdOf(event));
        if (!manager) throw new HttpError(404, 'not_found', 'No such manager');
        return reply(API_ROUTES.readManager, 200, ManagerView.parse(manager));
      }
      case 'PUT /v1/managers/{managerId}': {
        requireRole(event, 'head_of_unit');
        const managerId = managerIdOf(event, 400);
        const body = RosterEntryBody.safeParse(parseJsonBody(event, 64 * 1024));
        if (!body.success) throw invalid('The manager has invalid fields', formatIssues(body.error));
        const [outcome] = await save(by, 'api', [{ managerId, ...body.data }]);
        return reply(API_ROUTES.saveManager, 200, outcome as SaveOutcome);
      }
      case 'POST /v1/roster-imports': {
        requireRole(event, 'head_of_unit');
        const parsed = parseRosterCsv(bodyText(event, 'text/csv', ROSTER_FILE_MAX_BYTES));
        if (!parsed.ok) {
          throw invalid(
            'The file has bad rows; nothing of it was stored',
            parsed.errors.map((e) => ({
              path: `line ${e.line}${e.field ? `: ${e.field}` : ''}`,
              message: e.message,
            })),
          );
        }
        const managers = await save(by, 'import', parsed.entries);
        const count = (action: SaveOutcome['action']) => managers.filter((m) => m.action === action).length;
        return reply(API_ROUTES.importRoster, 200, {
          created: count('created'),
          updated: count('updated'),
          unchanged: count('unchanged'),
          managers,
        });
      }
      case 'GET /v1/roster-exports': {
        requireRole(event, 'head_of_unit');
        const entries = (await deps.roster.list())
          .map(entryOf)
          .sort((a, b) => (a.managerId < b.managerId ? -1 : 1));
        return {
          statusCode: 200,
          headers: {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': 'attachment; filename="roster.csv"',
            'cache-control': 'no-store',
          },
          body: formatRosterCsv(entries),
        };
      }
      case 'GET /v1/managers/{managerId}/changes': {
        const managerId = managerIdOf(event);
        const query = parseQuery(RosterChangesQuery, event);
        return reply(API_ROUTES.listRosterChanges, 200, await deps.roster.changes(managerId, query));
      }
      default:
        throw new Error(`KeepRoster does not serve ${event.routeKey}`);
    }
  },
  // Compliance officers may read the audit of changes; everything else is the head of unit's.
  staffOnly(['head_of_unit', 'compliance_officer']),
);

/** The path's manager id; a malformed one names no manager (404), or is a bad field of a change (400). */
function managerIdOf(event: ApiEvent, status: 400 | 404 = 404): string {
  const path = managerPath.safeParse(event.pathParameters ?? {});
  if (path.success) return path.data.managerId;
  if (status === 404) throw new HttpError(404, 'not_found', 'No such manager');
  throw invalid('The manager id is malformed', [
    { path: 'managerId', message: path.error.issues[0]?.message ?? 'Invalid' },
  ]);
}

const invalid = (message: string, issues: { path: string; message: string }[]) =>
  new HttpError(400, 'validation_failed', message, { issues });

async function save(by: string, source: 'api' | 'import', entries: Parameters<typeof saveManagers>[3]) {
  try {
    return await saveManagers(deps, by, source, entries);
  } catch (error) {
    if (error instanceof RosterConflict) throw new HttpError(409, 'roster_conflict', error.message);
    throw error;
  }
}
