import * as z from 'zod';
import { reasonInput } from '../managers/outcomes.ts';
import { LEAD_STATUSES } from './lead.ts';
import { PRODUCTS } from './lead-submission.ts';

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

/** The head of unit gives a lead to a manager, or to another one (`POST /v1/leads/{leadId}/assignment`). */
export const HandAssignmentBody = z
  .strictObject({
    managerId: z.string().trim().min(1).max(64),
    note: z.string().trim().min(1).max(2000).optional(),
  })
  .meta({ id: 'HandAssignment', description: 'The manager to give the lead to, and why if you like' });

export const HandAssigned = z
  .strictObject({
    leadId: z.uuid(),
    managerId: z.string(),
    assignmentId: z.string(),
    dueAt: z.iso.datetime(),
    reassignedFrom: z.string().optional().meta({ description: 'The manager the lead was taken from' }),
  })
  .meta({
    id: 'HandAssigned',
    description: 'Assigned: the manager is emailed and has until `dueAt` to accept, as for any offer',
  });

/** What the lead's manager records when the work on an accepted lead ends (`POST /v1/leads/{leadId}/outcome`). */
export const LeadOutcomeBody = z
  .discriminatedUnion('outcome', [
    z.strictObject({
      outcome: z.literal('converted'),
      products: z
        .array(z.enum(PRODUCTS))
        .min(1)
        .max(PRODUCTS.length)
        .refine((products) => new Set(products).size === products.length, 'each product once'),
    }),
    z.strictObject({ outcome: z.literal('lost'), ...reasonInput('lost').shape }),
  ])
  .meta({
    id: 'LeadOutcome',
    description:
      'Converted, with the products the company opened; or lost, with a reason code from the configured list (and, optionally, your own words)',
  });

export const OutcomeRecorded = z
  .strictObject({ leadId: z.uuid(), status: z.enum(LEAD_STATUSES), recordedAt: z.iso.datetime() })
  .meta({
    id: 'OutcomeRecorded',
    description: '`converted` or `lost`: the lead no longer counts against your capacity',
  });
