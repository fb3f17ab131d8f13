import * as z from 'zod';
import { AuditPageQuery } from '../audit-page.ts';
import type { StaffMember } from './roles.ts';

/**
 * The audit of staff reads of personal data: who read which lead, and when. A lead's contact person is
 * personal data (152-FZ), so every read a member of staff makes is recorded before the data is shown,
 * and compliance officers can look the record up.
 */
export const LeadRead = z
  .strictObject({
    leadId: z.uuid(),
    readerId: z.string().meta({ description: 'The staff member (the token subject)' }),
    roles: z.array(z.string()),
    at: z.iso.datetime(),
    requestId: z.string(),
  })
  .meta({ id: 'LeadRead' });
export type LeadRead = z.infer<typeof LeadRead>;

/** What `GET /v1/leads/{leadId}/reads` answers; strict, so the published schema names every field. */
export const LeadReadsPage = z
  .strictObject({
    reads: z.array(LeadRead),
    next: z.string().optional().meta({ description: 'Pass as `after` for the next page' }),
  })
  .meta({ id: 'LeadReadsPage' });
export type LeadReadsPage = z.infer<typeof LeadReadsPage>;

/** `GET /v1/leads/{leadId}/reads` query: page size and where the last page stopped. */
export const LeadReadsQuery = AuditPageQuery;

/** The port: an append-only record of reads, by lead, newest first. */
export interface LeadReads {
  /** Records the read; an entry, once written, is never overwritten. */
  record(read: LeadRead): Promise<void>;
  list(leadId: string, page: { limit: number; after?: string }): Promise<LeadReadsPage>;
}

/** A read of the lead by this member of staff, as it is recorded. */
export const leadReadBy = (viewer: StaffMember, leadId: string, at: Date, requestId: string): LeadRead => ({
  leadId,
  readerId: viewer.userId,
  roles: [...viewer.roles],
  at: at.toISOString(),
  requestId,
});
