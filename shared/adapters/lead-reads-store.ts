import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { LeadRead, LeadReads, LeadReadsPage } from '../access/lead-reads.ts';
import { keys, TableAdapter, withoutKeys } from './table.ts';

/** Staff reads in their own partition per lead, so the audit never slows the lead's own reads. */
export class LeadReadsStore extends TableAdapter implements LeadReads {
  async record(read: LeadRead): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.leadRead(read.leadId, read.at, read.requestId), type: 'LeadRead', ...read },
          // An audit entry is never overwritten.
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async list(leadId: string, page: { limit: number; after?: string }): Promise<LeadReadsPage> {
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.leadRead(leadId, '', '').pk },
        ScanIndexForward: false,
        Limit: page.limit,
        ...(page.after
          ? { ExclusiveStartKey: { pk: keys.leadRead(leadId, '', '').pk, sk: page.after } }
          : {}),
      }),
    );
    return {
      reads: Items.map((item) => withoutKeys<LeadRead>(item)),
      ...(LastEvaluatedKey ? { next: String(LastEvaluatedKey.sk) } : {}),
    };
  }
}
