import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { FreezingStarter } from '../audiences/keep-audiences.ts';
import type { CampaignRuns } from '../campaigns/keep-campaigns.ts';
import type { WorkflowStarter } from '../leads/ports.ts';
import type { OpenDayRuns } from '../open-days/ports.ts';
import type { ImportJobs } from '../prospects/import-upload.ts';

/**
 * Starts executions of one state machine, each by a name the caller derives from what it runs (a lead, an
 * import, an audience's or a campaign's run): a start retried under the same name is the same execution
 * (idempotent while it runs, refused as existing once it ended), never a second one.
 */
export class NamedExecutions {
  private readonly client: SFNClient;
  private readonly stateMachineArn: string;

  constructor(client: SFNClient, stateMachineArn: string) {
    this.client = client;
    this.stateMachineArn = stateMachineArn;
  }

  async start(name: string, input: Record<string, unknown>): Promise<'started' | 'already_started'> {
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name,
          input: JSON.stringify(input),
        }),
      );
      return 'started';
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists) return 'already_started';
      throw error;
    }
  }
}

/** One LeadIntake execution per lead, named by the lead id (a rerun by `<leadId>-rerun-<n>`). */
export const leadIntakes = (executions: NamedExecutions): WorkflowStarter => ({
  startLeadIntake: (leadId, run = leadId) => executions.start(run, { leadId }),
});

/** One import job per import, named by its id. */
export const importJobs = (executions: NamedExecutions): ImportJobs => ({
  start: (importId) => executions.start(importId, { importId }),
});

/** An audience's freezing runs, named by the audience and the run's number. */
export const freezingRuns = (executions: NamedExecutions): FreezingStarter => ({
  startFreezing: async (audienceId, run) => void (await executions.start(run, { audienceId })),
});

/** A campaign's sending runs, `<campaignId>-<run>`. */
export const campaignRuns = (executions: NamedExecutions): CampaignRuns => ({
  startRun: (campaignId, run) => executions.start(`${campaignId}-${run}`, { campaignId }),
});

/** An open day's OpenDay runs, the first named by its id; each is told its name, to know if it is current. */
export const openDayRuns = (executions: NamedExecutions): OpenDayRuns => ({
  start: (openDayId, run = openDayId) => executions.start(run, { openDayId, run }),
});
