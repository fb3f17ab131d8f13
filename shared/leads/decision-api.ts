import * as z from 'zod';
import { reasonInput } from '../managers/outcomes.ts';
import { LEAD_STATUSES } from './lead.ts';

/** What a personal manager sends to accept or decline a lead offered to them (`POST /v1/leads/{leadId}/decision`). */
export const LeadDecisionBody = z
  .discriminatedUnion('action', [
    z.strictObject({ action: z.literal('accept') }),
    z.strictObject({ action: z.literal('decline'), ...reasonInput('decline').shape }),
  ])
  .meta({
    id: 'LeadDecision',
    description:
      'Accept the lead, or decline it with a reason code from the configured list (and, optionally, your own words)',
  });

export const DecisionRecorded = z
  .strictObject({
    leadId: z.uuid(),
    status: z.enum(LEAD_STATUSES),
    decidedAt: z.iso.datetime(),
  })
  .meta({
    id: 'DecisionRecorded',
    description: '`accepted`, or `reassigning` after a decline: the lead goes to the next manager',
  });
