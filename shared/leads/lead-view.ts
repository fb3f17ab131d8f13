import type { StaffMember } from '../access/roles.ts';
import { type Lead, TIMELINE_KINDS, type TimelineEntry } from './lead.ts';
import type { LeadRecord } from './ports.ts';

/** A lead with its stored timeline entries, as people read it: in order, with the derived first entry. */
export function leadRecordOf(lead: Lead, entries: TimelineEntry[]): LeadRecord {
  // Steps can land within one millisecond; the intake order breaks such ties.
  const timeline = [...entries].sort(
    (a, b) => a.at.localeCompare(b.at) || TIMELINE_KINDS.indexOf(a.kind) - TIMELINE_KINDS.indexOf(b.kind),
  );
  // The first entry is derived from the lead itself, so capture writes one item fewer.
  const received: TimelineEntry = {
    at: lead.receivedAt,
    kind: 'received',
    summary: `Enquiry received through ${lead.attribution.channel}`,
    details: { channel: lead.attribution.channel },
  };
  return {
    lead,
    timeline: [received, ...timeline],
    touchCount: timeline.filter((e) => e.kind === 'touch').length,
  };
}

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
    failure: lead.failure ?? null,
    company: lead.company,
    contact: lead.contact,
    products: lead.products,
    message: lead.message ?? null,
    attribution: lead.attribution,
    consents: lead.consents,
    touchCount,
    timeline,
  };
}
