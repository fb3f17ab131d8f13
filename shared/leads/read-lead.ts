import { type LeadReads, leadReadBy } from '../access/lead-reads.ts';
import type { StaffMember } from '../access/roles.ts';
import { canReadLead, leadView } from './lead-view.ts';
import type { Leads } from './ports.ts';

export type ReadLeadDeps = { leads: Pick<Leads, 'read'>; reads: Pick<LeadReads, 'record'>; now: () => Date };

/**
 * A member of staff reads a lead. The read is recorded before anything is shown: if the audit cannot
 * be written, the lead is not shown. Undefined when there is no such lead or the viewer may not see it.
 */
export async function readLead(
  deps: ReadLeadDeps,
  viewer: StaffMember,
  leadId: string,
  requestId: string,
): Promise<ReturnType<typeof leadView> | undefined> {
  const record = await deps.leads.read(leadId);
  if (!record || !canReadLead(viewer, record)) return undefined;
  await deps.reads.record(leadReadBy(viewer, leadId, deps.now(), requestId));
  return leadView(record);
}
