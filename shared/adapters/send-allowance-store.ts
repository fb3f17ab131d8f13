import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SendAllowance } from '../campaigns/ports.ts';
import { type Bucket, takeFrom } from '../campaigns/send-allowance.ts';
import { keys, TableAdapter } from './table.ts';

/**
 * The account's letters per second, one bucket (`SEND_ALLOWANCE` / `SES`) for every campaign: a take reads
 * it and writes it back on the condition that nobody else took in between, so no two runs spend one letter.
 */
export class SendAllowanceStore extends TableAdapter implements SendAllowance {
  async take(want: number, perSecond: number): Promise<{ granted: number; waitMs: number }> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const { Item } = await this.client.send(
        new GetCommand({ TableName: this.tableName, Key: keys.sendAllowance(), ConsistentRead: true }),
      );
      const bucket = Item ? ({ tokens: Item.tokens, at: Item.at } as Bucket) : undefined;
      const taken = takeFrom(bucket, Date.now(), want, perSecond);
      if (taken.granted === 0) return { granted: 0, waitMs: taken.waitMs };
      try {
        await this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...keys.sendAllowance(), type: 'SendAllowance', ...taken.after },
            ...(bucket
              ? {
                  ConditionExpression: '#at = :at AND tokens = :tokens',
                  ExpressionAttributeNames: { '#at': 'at' },
                  ExpressionAttributeValues: { ':at': bucket.at, ':tokens': bucket.tokens },
                }
              : { ConditionExpression: 'attribute_not_exists(pk)' }),
          }),
        );
        return { granted: taken.granted, waitMs: 0 };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * (attempt + 1)));
      }
    }
    return { granted: 0, waitMs: 50 };
  }
}
