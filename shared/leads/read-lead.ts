import type * as z from 'zod';
import { type LeadReads, leadReadBy } from '../access/lead-reads.ts';
import type { StaffMember } from '../access/roles.ts';
import type { Locale } from '../templates/locale.ts';
import { templatesFor } from '../templates/render.ts';
import {
  canReadLead,
  enquiryView,
  type HistoryQuery,
  type LeadEnquiriesPage,
  type LeadTimelinePage,
  leadView,
  timelinePage,
} from './lead-view.ts';
import { InvalidPageCursor, type LeadRecord, type Leads } from './ports.ts';

export type ReadLeadDeps = {
  leads: Pick<Leads, 'read' | 'enquiries'>;
  reads: Pick<LeadReads, 'record'>;
  now: () => Date;
};

/**
 * Who reads, and which request it is: every read of a lead's personal data is recorded under it. Texts
 * are in the reader's language (Russian unless the request asks for another).
 */
export type StaffRead = { viewer: StaffMember; leadId: string; requestId: string; locale?: Locale };

/** A page the caller asked for that no earlier page handed out. */
export type BadPage = { kind: 'bad_cursor' };

/**
 * The lead, if this member of staff may see it, with the read recorded first: if the audit cannot be
 * written, nothing is shown. Undefined when there is no such lead or the viewer may not see it.
 */
async function readable(deps: ReadLeadDeps, read: StaffRead): Promise<LeadRecord | undefined> {
  const record = await deps.leads.read(read.leadId);
  if (!record || !canReadLead(read.viewer, record)) return undefined;
  await deps.reads.record(leadReadBy(read.viewer, read.leadId, deps.now(), read.requestId));
  return record;
}

/** A member of staff reads a lead: its state, the reasons behind it, and the first page of its history. */
export async function readLead(deps: ReadLeadDeps, read: StaffRead) {
  const record = await readable(deps, read);
  return record && leadView(record, templatesFor(read.locale));
}

/** The next page of a lead's history. */
export async function readLeadTimeline(
  deps: ReadLeadDeps,
  read: StaffRead,
  page: HistoryQuery,
): Promise<z.input<typeof LeadTimelinePage> | BadPage | undefined> {
  const record = await readable(deps, read);
  if (!record) return undefined;
  return timelinePage(record, page, templatesFor(read.locale)) ?? { kind: 'bad_cursor' };
}

/** A page of the lead's later enquiries, each in full: every contact who wrote, and what they asked. */
export async function readLeadEnquiries(
  deps: ReadLeadDeps,
  read: StaffRead,
  page: HistoryQuery,
): Promise<z.input<typeof LeadEnquiriesPage> | BadPage | undefined> {
  const record = await readable(deps, read);
  if (!record) return undefined;
  try {
    const found = await deps.leads.enquiries(read.leadId, {
      size: page.limit,
      ...(page.after ? { after: page.after } : {}),
    });
    return { enquiries: found.enquiries.map(enquiryView), ...(found.after ? { next: found.after } : {}) };
  } catch (error) {
    if (error instanceof InvalidPageCursor) return { kind: 'bad_cursor' };
    throw error;
  }
}
