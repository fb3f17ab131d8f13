import * as z from 'zod';
import { AuditPageQuery } from '../audit-page.ts';
import { ManagerId, RosterEntry } from './roster.ts';

/**
 * What the roster routes take and answer (`/v1/managers`). The route table (shared/http/routes.ts) and the
 * OpenAPI document use these very schemas, and the handler answers through them.
 */
export const managerPath = z.object({ managerId: ManagerId });

/** `PUT /v1/managers/{managerId}`: the whole entry but its id (the path's). Unknown fields, such as the load, are refused. */
export const RosterEntryBody = RosterEntry.omit({ managerId: true })
  .strict()
  .meta({ id: 'RosterEntryBody', description: 'A personal manager as the head of the unit keeps them' });

export const ManagerView = z
  .strictObject({
    ...RosterEntry.shape,
    activeLeads: z.int().min(0).meta({ description: 'Leads the manager holds now' }),
    lastAssignedAt: z.iso.datetime().optional().meta({ description: 'Last lead given by rotation' }),
    pausedUntil: z.iso.datetime().optional().meta({
      description: 'After a lead went unanswered past its due time: no new lead by routing until then',
    }),
    rosterVersion: z.int().min(0).meta({ description: 'Increases with every change of the entry' }),
  })
  .meta({ id: 'ManagerView' });

export const RosterView = z.strictObject({ managers: z.array(ManagerView) }).meta({ id: 'RosterView' });

export const SaveOutcome = z
  .strictObject({ managerId: ManagerId, action: z.enum(['created', 'updated', 'unchanged']) })
  .meta({ id: 'RosterSaveOutcome' });

export const ImportSummary = z
  .strictObject({
    created: z.int().min(0),
    updated: z.int().min(0),
    unchanged: z.int().min(0),
    managers: z.array(SaveOutcome),
  })
  .meta({ id: 'RosterImportSummary' });

export const RosterChangeView = z
  .strictObject({
    changeId: z.string(),
    managerId: ManagerId,
    at: z.iso.datetime(),
    by: z.string().meta({ description: 'The staff member who made the change (the token subject)' }),
    source: z.enum(['api', 'import']),
    action: z.enum(['created', 'updated']),
    before: RosterEntry.optional(),
    after: RosterEntry,
  })
  .meta({ id: 'RosterChange' });

export const RosterChangesPage = z
  .strictObject({
    changes: z.array(RosterChangeView),
    next: z.string().optional().meta({ description: 'Pass as `after` for the next page' }),
  })
  .meta({ id: 'RosterChangesPage' });

/** `GET /v1/managers/{managerId}/changes` query: page size and where the last page stopped. */
export const RosterChangesQuery = AuditPageQuery;

/** The most a roster file may weigh: 2,000 managers of a few hundred bytes each. */
export const ROSTER_FILE_MAX_BYTES = 1024 * 1024;
