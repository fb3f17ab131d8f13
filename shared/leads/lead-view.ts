import type { StaffMember } from '../access/roles.ts';
import type { LeadRecord } from './ports.ts';

/** Who may read a lead: the unit's leadership and campaign staff, and the manager it is assigned to. */
export function canReadLead(viewer: StaffMember, record: LeadRecord): boolean {
  if (
    viewer.roles.some((r) => r === 'head_of_unit' || r === 'campaign_manager' || r === 'compliance_officer')
  ) {
    return true;
  }
  const managerId = record.lead.assignment?.managerId;
  return (
    viewer.roles.includes('personal_manager') && managerId !== undefined && viewer.managerId === managerId
  );
}

/** What `GET /v1/leads/{leadId}` answers: the lead's state and the reasons behind it. */
export function leadView({ lead, timeline, touchCount }: LeadRecord) {
  return {
    leadId: lead.leadId,
    status: lead.status,
    receivedAt: lead.receivedAt,
    leadClass: lead.leadClass ?? null,
    score: lead.score ?? null,
    assignedManager: lead.assignment ?? null,
    existingClient: lead.existingClient ?? null,
    company: lead.company,
    contact: lead.contact,
    products: lead.products,
    message: lead.message ?? null,
    source: lead.source,
    consents: lead.consents,
    touchCount,
    timeline,
  };
}
