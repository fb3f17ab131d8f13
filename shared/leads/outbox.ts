import type { Leads, WorkflowStarter } from './ports.ts';

export type OutboxDeps = {
  leads: Pick<Leads, 'pendingIntake' | 'confirmIntakeStarted'>;
  starter: WorkflowStarter;
  now: () => Date;
};

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
 * The outbox's safety net: every lead still pending `graceMinutes` after it was received (its stream
 * record was dead-lettered, or its start never confirmed) gets its workflow started now, page by page.
 */
export async function sweepPendingIntake(
  deps: OutboxDeps,
  options: { graceMinutes: number; batchSize: number },
): Promise<{ pending: number; started: number }> {
  const before = new Date(deps.now().getTime() - options.graceMinutes * 60_000).toISOString();
  let pending = 0;
  let started = 0;
  let after: string | undefined;
  do {
    const page = await deps.leads.pendingIntake(before, {
      size: options.batchSize,
      ...(after ? { after } : {}),
    });
    pending += page.leadIds.length;
    for (const leadId of page.leadIds) {
      if ((await startLeadIntake(deps, leadId)) === 'started') started += 1;
    }
    after = page.after;
  } while (after);
  return { pending, started };
}
