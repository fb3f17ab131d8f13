import { leadEventId } from '#events/lead-events.ts';
import type { Lead, LeadStatus } from './lead.ts';
import type { Clients, LeadEvents, Leads, Managers } from './ports.ts';
import { classifyLead, type LeadClass, scoreLead, scoringInputOf } from './scoring.ts';
import type { ScoringConfig } from './scoring-config.ts';

/** The steps of the LeadIntake state machine. Each is idempotent: Step Functions may run it again. */
export type IntakeDeps = {
  leads: Leads;
  managers: Managers;
  clients: Clients;
  events: LeadEvents;
  now: () => Date;
};

export class LeadNotFound extends Error {
  override name = 'LeadNotFound';
}

export async function loadLead(leads: Leads, leadId: string): Promise<Lead> {
  const lead = await leads.get(leadId);
  if (!lead) throw new LeadNotFound(`Lead ${leadId} does not exist`);
  return lead;
}

export type Enrichment = { regionCode: string; existingClient?: { clientId: string; managerId: string } };

export type Screening = Enrichment & Partial<Assessment>;

/**
 * The first step of every run: is the company already a client (its own PM takes the enquiry), and if
 * not, its score and class. One read of the lead serves both, and a lead whose earlier run failed is
 * taken back first.
 */
export async function screenLead(
  deps: IntakeDeps,
  config: ScoringConfig,
  leadId: string,
): Promise<Screening> {
  const lead = await loadLead(deps.leads, leadId);
  const enrichment = await enrichLead(deps, lead);
  if (enrichment.existingClient) return enrichment;
  return { ...enrichment, ...(await assessLead(deps, config, lead)) };
}

/** Is the company already a client of the bank? Then its own personal manager takes the enquiry. */
export async function enrichLead(deps: IntakeDeps, lead: Lead): Promise<Enrichment> {
  const { leadId } = lead;
  if (lead.status === 'intake_failed') await resumeIntake(deps, lead);
  const client = await deps.clients.findByInn(lead.company.inn);
  const existingClient = client && { clientId: client.clientId, managerId: client.managerId };
  // A rerun finds the match stored already: its entry keeps the time the match was made.
  const known =
    lead.existingClient?.clientId === existingClient?.clientId &&
    lead.existingClient?.managerId === existingClient?.managerId;
  if (existingClient && !known) {
    await deps.leads.recordExistingClient(leadId, existingClient, {
      at: deps.now().toISOString(),
      kind: 'existing_client_matched',
      details: existingClient,
    });
  }
  await deps.events.publish('LeadCaptured', {
    eventId: leadEventId(leadId, 'LeadCaptured'),
    version: 1,
    leadId,
    occurredAt: lead.receivedAt,
    channel: lead.attribution.channel,
    ...(lead.attribution.campaignId ? { campaignId: lead.attribution.campaignId } : {}),
    products: lead.products,
    regionCode: lead.regionCode,
    ...(lead.company.sizeBand ? { sizeBand: lead.company.sizeBand } : {}),
    ...(lead.company.industry ? { industry: lead.company.industry } : {}),
    existingClient: Boolean(client),
  });
  if (lead.offline) {
    await deps.events.publish('LeadAddedOffline', {
      eventId: leadEventId(leadId, 'LeadAddedOffline'),
      version: 1,
      leadId,
      occurredAt: lead.receivedAt,
      offlineChannel: lead.offline.channel,
      configVersion: lead.offline.configVersion,
      channel: lead.attribution.channel,
      regionCode: lead.regionCode,
      ...(lead.offline.costKopecks !== undefined ? { costKopecks: lead.offline.costKopecks } : {}),
    });
  }
  return { regionCode: lead.regionCode, ...(existingClient ? { existingClient } : {}) };
}

/** Where the lead stands by what is stored about it: what a new run resumes from after a failure. */
export function statusFromFacts(lead: Lead): LeadStatus {
  if (lead.outcome) return lead.outcome.kind;
  if (lead.assignment?.acceptedAt) return 'accepted';
  if (lead.assignment)
    return lead.assignment.kind === 'existing_client' ? 'handed_to_client_manager' : 'assigned';
  if (lead.leadClass) return lead.leadClass === 'unqualified' ? 'nurture' : 'qualified';
  return 'received';
}

/** A new run clears `intake_failed`, keeping the failure it clears in the timeline. */
async function resumeIntake(deps: IntakeDeps, lead: Lead): Promise<void> {
  const status = statusFromFacts(lead);
  // 'not_failed' means another run took the lead back first: the steps that follow are the same.
  await deps.leads.resumeAfterFailure(lead.leadId, status, {
    at: deps.now().toISOString(),
    kind: 'intake_resumed',
    details: { failure: lead.failure, status },
  });
}

export type Assessment = { leadClass: LeadClass; total: number; configVersion: string };

/**
 * Scores the lead with an explainable breakdown and classes it; unqualified leads go to nurture. Once a
 * manager has the lead the score is not rewritten, and nothing that was not stored is published.
 */
export async function assessLead(deps: IntakeDeps, config: ScoringConfig, lead: Lead): Promise<Assessment> {
  const { leadId } = lead;
  const score = scoreLead(scoringInputOf(lead), config);
  const leadClass = classifyLead(score.total, config);
  const at = deps.now().toISOString();
  const recorded = await deps.leads.recordAssessment(
    leadId,
    { score, leadClass, status: leadClass === 'unqualified' ? 'nurture' : 'qualified' },
    {
      at,
      kind: 'assessed',
      details: { total: score.total, leadClass, configVersion: score.configVersion },
    },
  );
  if (recorded === 'already_assigned') {
    // The run that assigned it published its score; this run only reports what is stored.
    const stored = await loadLead(deps.leads, leadId);
    return {
      leadClass: stored.leadClass ?? leadClass,
      total: stored.score?.total ?? score.total,
      configVersion: stored.score?.configVersion ?? score.configVersion,
    };
  }
  await deps.events.publish('LeadScored', {
    eventId: leadEventId(leadId, 'LeadScored'),
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

/**
 * The workflow gave up on this lead: make that visible on the lead, for people to act on. Only the
 * error's name is kept (a cause may quote personal data); a retry of this step records nothing twice.
 */
export async function recordIntakeFailure(
  deps: Pick<IntakeDeps, 'leads' | 'now'>,
  leadId: string,
  error: string,
): Promise<'recorded' | 'already_failed'> {
  const at = deps.now().toISOString();
  return deps.leads.recordIntakeFailure(
    leadId,
    { error, at },
    { at, kind: 'intake_failed', details: { error } },
  );
}
