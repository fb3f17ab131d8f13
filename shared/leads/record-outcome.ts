import { leadEventId } from '#events/lead-events.ts';
import { sourceCountOf } from '../ad-spend/source-count.ts';
import { outcomesConfig } from '../managers/outcomes.ts';
import type { DecisionDeps, DecisionRefusal } from './decide-on-lead.ts';
import type { LeadOutcome, LeadStatus } from './lead.ts';
import type { LeadSubmission } from './lead-submission.ts';

/** What a manager records when their work on an accepted lead ends. */
export type Outcome =
  | { outcome: 'converted'; products: LeadSubmission['products'] }
  | { outcome: 'lost'; reasonCode: string; note?: string | undefined };

export type OutcomeResult =
  | { ok: true; leadId: string; status: LeadStatus; recordedAt: string }
  | { ok: false; refusal: DecisionRefusal | 'not_accepted' };

/**
 * The manager records how an accepted lead ended: converted (the products the company opened) or lost (a
 * reason from the configured list, and the manager's own words if they like). The hold ends with it: the
 * manager's unit of capacity comes back in the same write, once, whatever the retries. The assignment
 * stays on the lead: a converted company's manager owns the relationship from now on.
 */
export async function recordOutcome(
  deps: Pick<DecisionDeps, 'leads' | 'events' | 'now'>,
  manager: { managerId: string; userId: string },
  leadId: string,
  outcome: Outcome,
): Promise<OutcomeResult> {
  const lead = await deps.leads.get(leadId);
  const assignment = lead?.assignment;
  if (!lead || assignment?.managerId !== manager.managerId) {
    const heldBefore = lead?.exclusions?.some((e) => e.managerId === manager.managerId);
    return { ok: false, refusal: heldBefore ? 'reassigned' : 'not_found' };
  }
  if (lead.outcome) return { ok: false, refusal: 'decided' };
  if (!assignment.acceptedAt) return { ok: false, refusal: 'not_accepted' };
  const at = deps.now().toISOString();
  const { managerId } = assignment;
  const stored: LeadOutcome =
    outcome.outcome === 'converted'
      ? { kind: 'converted', products: outcome.products, at, by: manager.userId }
      : {
          kind: 'lost',
          reasonCode: outcome.reasonCode,
          configVersion: outcomesConfig.version,
          ...(outcome.note ? { note: outcome.note } : {}),
          at,
          by: manager.userId,
        };
  const conversion = stored.kind === 'converted' ? sourceCountOf(lead) : undefined;
  const written = await deps.leads.recordOutcome(
    leadId,
    assignment,
    stored,
    {
      at,
      kind: stored.kind,
      // The manager's own words stay on the lead (they may name people); events carry the code only.
      details: { managerId, ...stored },
    },
    conversion,
  );
  if (written === 'not_open') return { ok: false, refusal: 'decided' };
  if (stored.kind === 'converted') {
    await deps.events.publish('LeadConverted', {
      eventId: leadEventId(leadId, 'LeadConverted'),
      version: 1,
      leadId,
      occurredAt: at,
      managerId,
      products: stored.products,
    });
  } else {
    await deps.events.publish('LeadLost', {
      eventId: leadEventId(leadId, 'LeadLost'),
      version: 1,
      leadId,
      occurredAt: at,
      managerId,
      reasonCode: stored.reasonCode,
      configVersion: stored.configVersion,
    });
  }
  return { ok: true, leadId, status: stored.kind, recordedAt: at };
}
