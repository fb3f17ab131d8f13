import type { LeadStore } from '../adapters/lead-store.ts';
import type { WorkflowStarter } from '../adapters/workflow-starter.ts';

export type OutboxDeps = { leads: LeadStore; starter: WorkflowStarter; now: () => Date };

/**
 * Starts the lead's LeadIntake execution (named by leadId, so never twice) and then confirms it, which
 * takes the lead out of the pending-intake index. The stream starter does this for every new lead.
 */
export async function startLeadIntake(
  deps: OutboxDeps,
  leadId: string,
): Promise<'started' | 'already_started'> {
  const outcome = await deps.starter.startLeadIntake(leadId);
  await deps.leads.confirmIntakeStarted(leadId);
  return outcome;
}

/**
 * The outbox's safety net: a lead still pending `graceMinutes` after it was received (its stream record
 * was dead-lettered, or its start never confirmed) gets its workflow started now.
 */
export async function sweepPendingIntake(
  deps: OutboxDeps,
  options: { graceMinutes: number; batchSize: number },
): Promise<{ pending: number; started: number }> {
  const before = new Date(deps.now().getTime() - options.graceMinutes * 60_000).toISOString();
  const pending = await deps.leads.pendingIntake(before, options.batchSize);
  let started = 0;
  for (const leadId of pending) {
    if ((await startLeadIntake(deps, leadId)) === 'started') started += 1;
  }
  return { pending: pending.length, started };
}
