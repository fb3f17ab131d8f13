import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RateDecision, RateLimiter } from '../leads/ports.ts';
import { keys, TableAdapter } from './table.ts';

/**
 * Fixed one-minute windows per client, counted with a conditional atomic update, so concurrent
 * requests can never pass the limit. The client comes as a keyed hash of its address: no personal data in keys.
 */
export class DynamoRateLimiter extends TableAdapter implements RateLimiter {
  private readonly perMinute: number;

  constructor(client: DynamoDBDocumentClient, tableName: string, perMinute: number) {
    super(client, tableName);
    this.perMinute = perMinute;
  }

  async hit(clientKey: string, nowMs: number): Promise<RateDecision> {
    const windowStart = Math.floor(nowMs / 60_000) * 60;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.rateWindow(clientKey, windowStart),
          UpdateExpression: 'ADD hits :one SET expiresAt = :expires',
          ConditionExpression: 'attribute_not_exists(hits) OR hits < :limit',
          ExpressionAttributeValues: { ':one': 1, ':limit': this.perMinute, ':expires': windowStart + 120 },
        }),
      );
      return { allowed: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return { allowed: false, retryAfterSeconds: Math.max(1, windowStart + 60 - Math.floor(nowMs / 1000)) };
    }
  }
}
