export interface QueuedMessage {
  queueArn: string;
  body: string;
  sentAt: string;
  attributes: Record<string, string>;
}

/** The local stand-in for the SQS dead-letter queues: in memory, for the engineer and the tests to read. */
export class LocalQueues {
  private readonly queued: QueuedMessage[] = [];

  send(queueArn: string, body: string, attributes: Record<string, string> = {}): void {
    this.queued.push({ queueArn, body, sentAt: new Date().toISOString(), attributes: { ...attributes } });
  }

  /** Messages in the order sent, of one queue or of all. */
  messages(queueArn?: string): QueuedMessage[] {
    return this.queued
      .filter((m) => queueArn === undefined || m.queueArn === queueArn)
      .map((m) => ({ ...m }));
  }

  depth(queueArn: string): number {
    return this.queued.filter((m) => m.queueArn === queueArn).length;
  }
}
