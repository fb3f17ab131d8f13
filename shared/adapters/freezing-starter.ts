import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { FreezingStarter } from '../audiences/keep-audiences.ts';

/**
 * Starts an audience's freezing run, named by the audience and its run number: starting it again is the
 * same run (idempotent while it runs, refused as existing once it ended), never a second walk.
 */
export class StepFunctionsFreezingStarter implements FreezingStarter {
  private readonly client: SFNClient;
  private readonly stateMachineArn: string;

  constructor(client: SFNClient, stateMachineArn: string) {
    this.client = client;
    this.stateMachineArn = stateMachineArn;
  }

  async startFreezing(audienceId: string, run: string): Promise<void> {
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: run,
          input: JSON.stringify({ audienceId }),
        }),
      );
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
  }
}
