import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { ImportJobs } from '../prospects/import-upload.ts';

/** One execution of the import job per import, named by its id: a second start is the first one. */
export class StepFunctionsImportJobs implements ImportJobs {
  private readonly client: SFNClient;
  private readonly stateMachineArn: string;

  constructor(client: SFNClient, stateMachineArn: string) {
    this.client = client;
    this.stateMachineArn = stateMachineArn;
  }

  async start(importId: string): Promise<'started' | 'already_started'> {
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: importId,
          input: JSON.stringify({ importId }),
        }),
      );
      return 'started';
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists) return 'already_started';
      throw error;
    }
  }
}
