import { InvalidToken, SendTaskSuccessCommand, type SFNClient, TaskTimedOut } from '@aws-sdk/client-sfn';
import type { AcceptanceAnswer, WorkflowAnswers } from '../leads/ports.ts';

/** Hands a manager's answer to the LeadIntake execution waiting on its task token. */
export class StepFunctionsAnswers implements WorkflowAnswers {
  private readonly client: SFNClient;

  constructor(client: SFNClient) {
    this.client = client;
  }

  async answer(taskToken: string, answer: AcceptanceAnswer): Promise<'delivered' | 'closed'> {
    try {
      await this.client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(answer) }));
      return 'delivered';
    } catch (error) {
      // The wait is over (timed out, or answered): the execution reads the decision from the lead.
      if (error instanceof TaskTimedOut || error instanceof InvalidToken) return 'closed';
      throw error;
    }
  }
}
