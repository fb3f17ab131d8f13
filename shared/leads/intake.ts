import type { Directory } from '../adapters/directory.ts';
import type { EventPublisher } from '../adapters/event-publisher.ts';
import type { LeadStore } from '../adapters/lead-store.ts';
import type { Mailer } from '../adapters/mailer.ts';
import type { TransactItems } from '../adapters/table.ts';
import type { Assignment, Lead, LeadStatus } from './lead.ts';
import { managerNotification } from './manager-email.ts';
import { rankManagers, segmentOf } from './routing.ts';
import { classifyLead, type LeadClass, scoreLead, scoringInputOf } from './scoring.ts';
import type { ScoringConfig } from './scoring-config.ts';

/** The steps of the LeadIntake state machine. Each is idempotent: Step Functions may run it again. */
export type IntakeDeps = {
  leads: LeadStore;
  directory: Directory;
  events: EventPublisher;
  now: () => Date;
};

export class LeadNotFound extends Error {
  override name = 'LeadNotFound';
}

async function loadLead(deps: IntakeDeps, leadId: string): Promise<Lead> {
  const lead = await deps.leads.getLead(leadId);
  if (!lead) throw new LeadNotFound(`Lead ${leadId} does not exist`);
  return lead;
}

export type Enrichment = { regionCode: string; existingClient?: { clientId: string; managerId: string } };

/** Is the company already a client of the bank? Then its own personal manager takes the enquiry. */
export async function enrichLead(deps: IntakeDeps, leadId: string): Promise<Enrichment> {
  const lead = await loadLead(deps, leadId);
  const client = await deps.directory.findClientByInn(lead.company.inn);
  const existingClient = client && { clientId: client.clientId, managerId: client.managerId };
  if (existingClient) {
    await deps.leads.recordStep(leadId, {
      set: { existingClient },
      entry: {
        at: deps.now().toISOString(),
        kind: 'existing_client_matched',
        summary: 'The company is an existing client; its personal manager takes the enquiry',
        details: existingClient,
      },
    });
  }
  await deps.events.publish('LeadCaptured', {
    eventId: `${leadId}:LeadCaptured`,
    version: 1,
    leadId,
    occurredAt: lead.receivedAt,
    channel: lead.source.channel,
    ...(lead.source.campaignId ? { campaignId: lead.source.campaignId } : {}),
    products: lead.products,
    regionCode: lead.regionCode,
    ...(lead.company.sizeBand ? { sizeBand: lead.company.sizeBand } : {}),
    ...(lead.company.industry ? { industry: lead.company.industry } : {}),
    existingClient: Boolean(client),
  });
  return { regionCode: lead.regionCode, ...(existingClient ? { existingClient } : {}) };
}

export type Assessment = { leadClass: LeadClass; total: number; configVersion: string };

/** Scores the lead with an explainable breakdown and classes it; unqualified leads go to nurture. */
export async function assessLead(
  deps: IntakeDeps,
  config: ScoringConfig,
  leadId: string,
): Promise<Assessment> {
  const lead = await loadLead(deps, leadId);
  const score = scoreLead(scoringInputOf(lead), config);
  const leadClass = classifyLead(score.total, config);
  const at = deps.now().toISOString();
  await deps.leads.recordStep(leadId, {
    set: { score, leadClass, status: leadClass === 'unqualified' ? 'nurture' : 'qualified' },
    // Never move a lead back once a manager has it.
    condition: 'attribute_not_exists(assignment)',
    entry: {
      at,
      kind: 'assessed',
      summary: `Scored ${score.total} of 100: ${leadClass}`,
      details: { total: score.total, leadClass, configVersion: score.configVersion },
    },
  });
  await deps.events.publish('LeadScored', {
    eventId: `${leadId}:LeadScored`,
    version: 1,
    leadId,
    occurredAt: at,
    total: score.total,
    leadClass,
    configVersion: score.configVersion,
    breakdown: score.breakdown.map(({ factor, value, points }) => ({ factor, value, points })),
  });
  return { leadClass, total: score.total, configVersion: score.configVersion };
}

export type AssignmentResult = { managerId?: string };

/**
 * Gives the lead to a personal manager: the existing client's own manager, or the least loaded manager
 * whose segment and region fit, taking a unit of capacity in the same transaction as the assignment.
 */
export async function assignManager(
  deps: IntakeDeps,
  leadId: string,
  enrichment: Enrichment,
): Promise<AssignmentResult> {
  const lead = await loadLead(deps, leadId);
  if (lead.assignment) return announceAssignment(deps, lead);
  const at = deps.now().toISOString();

  if (enrichment.existingClient) {
    const { managerId } = enrichment.existingClient;
    const assigned = await recordAssignment(
      deps,
      lead,
      { managerId, kind: 'existing_client', assignedAt: at },
      {
        status: 'handed_to_client_manager',
        summary: `Handed to the client's personal manager ${managerId}`,
        details: { managerId },
      },
    );
    return assigned ?? {};
  }

  const segment = segmentOf(lead.company.sizeBand);
  const candidates = rankManagers(await deps.directory.listManagers(), {
    segment,
    regionCode: lead.regionCode,
    products: lead.products,
  });
  for (const manager of candidates) {
    const { managerId } = manager;
    const assigned = await recordAssignment(
      deps,
      lead,
      { managerId, kind: 'acquisition', segment, assignedAt: at },
      {
        status: 'assigned',
        summary: `Assigned to personal manager ${managerId}`,
        details: { managerId, segment, loadBefore: `${manager.activeLeads}/${manager.capacity}` },
        alongside: [deps.directory.takeCapacity(managerId)],
      },
    );
    if (assigned) return assigned;
  }
  await deps.leads.recordStep(leadId, {
    set: { status: 'awaiting_manager' },
    condition: 'attribute_not_exists(assignment)',
    entry: {
      at,
      kind: 'awaiting_manager',
      summary: 'No personal manager fits with free capacity; waiting for the head of unit',
      details: { segment, regionCode: lead.regionCode },
    },
  });
  return {};
}

/**
 * Writes the assignment unless the lead already has one, and announces whichever assignment it ends up
 * with. Undefined when another condition failed: the manager had no capacity left.
 */
async function recordAssignment(
  deps: IntakeDeps,
  lead: Lead,
  assignment: Assignment,
  step: { status: LeadStatus; summary: string; details: Record<string, unknown>; alongside?: TransactItems },
): Promise<AssignmentResult | undefined> {
  const done = await deps.leads.recordStep(lead.leadId, {
    set: { assignment, status: step.status },
    condition: 'attribute_not_exists(assignment)',
    entry: { at: assignment.assignedAt, kind: 'assigned', summary: step.summary, details: step.details },
    ...(step.alongside ? { alongside: step.alongside } : {}),
  });
  if (done.applied) return announceAssignment(deps, { ...lead, assignment });
  // The lead's own condition failed: an earlier attempt assigned it already.
  if (done.reasons[0]?.code === 'ConditionalCheckFailed') {
    return announceAssignment(deps, await loadLead(deps, lead.leadId));
  }
  return undefined;
}

/** Publishes the stored assignment; a retried step publishes the same event id again, never a different fact. */
async function announceAssignment(deps: IntakeDeps, lead: Lead): Promise<AssignmentResult> {
  const { assignment } = lead;
  if (!assignment) return {};
  await deps.events.publish('LeadAssigned', {
    eventId: `${lead.leadId}:LeadAssigned`,
    version: 1,
    leadId: lead.leadId,
    occurredAt: assignment.assignedAt,
    managerId: assignment.managerId,
    assignmentKind: assignment.kind,
    ...(lead.leadClass ? { leadClass: lead.leadClass } : {}),
  });
  return { managerId: assignment.managerId };
}

/** Emails the assigned manager a summary with the score breakdown; never twice for one assignment. */
export async function notifyManager(deps: IntakeDeps & { mailer: Mailer }, leadId: string): Promise<void> {
  const lead = await loadLead(deps, leadId);
  const managerId = lead.assignment?.managerId;
  if (!managerId) throw new Error(`Lead ${leadId} has no manager to notify`);
  if (await deps.leads.wasNotified(leadId, managerId)) return;
  const manager = await deps.directory.getManager(managerId);
  if (!manager) throw new Error(`Personal manager ${managerId} is not in the directory`);
  const messageId = await deps.mailer.send(managerNotification(lead, manager));
  const at = deps.now().toISOString();
  await deps.leads.recordStep(leadId, {
    set: {},
    entry: {
      at,
      kind: 'manager_notified',
      summary: `Personal manager ${managerId} notified by email`,
      details: { managerId },
    },
    alongside: [deps.leads.notified(leadId, managerId, messageId, at)],
  });
}

/** The workflow gave up on this lead: make that visible on the lead, for people to act on. */
export async function recordIntakeFailure(deps: IntakeDeps, leadId: string, error: string): Promise<void> {
  const at = deps.now().toISOString();
  await deps.leads.recordStep(leadId, {
    set: { status: 'intake_failed', failure: { error, at } },
    entry: { at, kind: 'intake_failed', summary: `Intake failed: ${error}`, details: { error } },
  });
}
