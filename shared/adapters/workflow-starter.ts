import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { WorkflowStarter } from '../leads/ports.ts';

/** Starts one LeadIntake execution per lead; the execution is named by leadId, so a retry cannot start two. */
export class StepFunctionsStarter implements WorkflowStarter {
  private readonly client: SFNClient;
  private readonly stateMachineArn: string;

  constructor(client: SFNClient, stateMachineArn: string) {
    this.client = client;
    this.stateMachineArn = stateMachineArn;
  }

  async startLeadIntake(leadId: string, run = leadId): Promise<'started' | 'already_started'> {
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: run,
          input: JSON.stringify({ leadId }),
        }),
      );
      return 'started';
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists) return 'already_started';
      throw error;
    }
  }
}

/** Starts a campaign's runs (`<campaignId>-<run>`): a retried launch or resume finds its run started. */
export class CampaignRunStarter {
  private readonly client: SFNClient;
  private readonly stateMachineArn: string;

  constructor(client: SFNClient, stateMachineArn: string) {
    this.client = client;
    this.stateMachineArn = stateMachineArn;
  }

  async startRun(campaignId: string, run: number): Promise<'started' | 'already_started'> {
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: `${campaignId}-${run}`,
          input: JSON.stringify({ campaignId }),
        }),
      );
      return 'started';
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists) return 'already_started';
      throw error;
    }
  }
}
