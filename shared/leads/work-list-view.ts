import * as z from 'zod';
import { LEAD_STATUSES } from './lead.ts';
import { LeadView } from './lead-view.ts';
import type { WorkItem } from './ports.ts';

/** The statuses of the leads a manager holds, and of those waiting for the head of unit. */
export const HELD_STATUSES = [
  'assigned',
  'handed_to_client_manager',
  'accepted',
  'converted',
  'lost',
] as const;
/** The head of unit's list: leads nobody holds, and leads whose workflow failed (until a new run resumes them). */
export const WAITING_STATUSES = ['awaiting_manager', 'escalated', 'intake_failed'] as const;

const listQuery = <S extends readonly [string, ...string[]]>(statuses: S) =>
  z.strictObject({
    status: z.enum(statuses).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    after: z.string().max(1000).optional(),
  });

/** `GET /v1/my-leads`: a manager's own leads, one status or all, by status then due time. */
export const MyLeadsQuery = listQuery(HELD_STATUSES);
/** `GET /v1/unit/waiting-leads`: the leads nobody holds, waiting for the head of unit. */
export const WaitingLeadsQuery = listQuery(WAITING_STATUSES);

/** One line of a work list: enough to sort and open the lead, no contact details. */
export const WorkListItem = z
  .strictObject({
    leadId: z.uuid(),
    status: z.enum(LEAD_STATUSES),
    leadClass: LeadView.shape.leadClass,
    receivedAt: z.iso.datetime(),
    company: z.strictObject({ name: z.string(), inn: z.string() }),
    assignedManager: LeadView.shape.assignedManager,
    outcome: LeadView.shape.outcome,
  })
  .meta({ id: 'WorkListItem' });

export const WorkListPage = z
  .strictObject({ leads: z.array(WorkListItem), next: z.string().nullable() })
  .meta({ id: 'WorkListPage', description: 'A page of the list; `next` fetches the following page' });

export const workListItem = (item: WorkItem): z.input<typeof WorkListItem> => ({
  leadId: item.leadId,
  status: item.status,
  leadClass: item.leadClass ?? null,
  receivedAt: item.receivedAt,
  company: item.company,
  assignedManager: item.assignment ?? null,
  outcome: item.outcome ?? null,
});
