import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { LeadCount, Spend } from '../ad-spend/ad-spend.ts';
import type { AdSpends } from '../ad-spend/ports.ts';
import { AD_SPEND_PREFIX, keys, LEAD_SOURCES_PREFIX, TableAdapter, withoutKeys } from './table.ts';

/**
 * Advertising spend, one item per month and source (medium, campaign), and the lead counters capture
 * keeps beside it (CaptureStore.capture): a report reads two partitions a month, never a lead.
 */
export class AdSpendStore extends TableAdapter implements AdSpends {
  async record(spend: Spend): Promise<{ action: 'created' | 'updated' | 'unchanged'; spend: Spend }> {
    try {
      const { Attributes } = await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.adSpend(spend), type: 'AdSpend', ...spend },
          // The same amount and kind again write nothing: who recorded it, and when, stay the first's.
          ConditionExpression: 'attribute_not_exists(pk) OR amountKopecks <> :amount OR #kind <> :kind',
          ExpressionAttributeNames: { '#kind': 'kind' },
          ExpressionAttributeValues: { ':amount': spend.amountKopecks, ':kind': spend.kind },
          ReturnValues: 'ALL_OLD',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { action: Attributes ? 'updated' : 'created', spend };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const stored = error.Item ? withoutKeys<Spend>(unmarshall(error.Item)) : spend;
      return { action: 'unchanged', spend: stored };
    }
  }

  async spendsOf(month: string): Promise<Spend[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `${AD_SPEND_PREFIX}${month}` },
    });
    return items.map((item) => withoutKeys<Spend>(item));
  }

  /** The month's counters, their shards added up per source, medium and campaign. */
  async leadCountsOf(month: string): Promise<LeadCount[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `${LEAD_SOURCES_PREFIX}${month}` },
    });
    const counts = new Map<string, LeadCount>();
    for (const item of items) {
      const [key] = String(item.sk).split('#');
      const count = withoutKeys<LeadCount>(item);
      const sum = counts.get(key ?? '');
      counts.set(key ?? '', {
        ...count,
        // A shard holds what it was added to: no lead yet, or no conversion yet, is no attribute.
        leads: (sum?.leads ?? 0) + Number(count.leads ?? 0),
        conversions: (sum?.conversions ?? 0) + Number(count.conversions ?? 0),
        leadCostsKopecks: (sum?.leadCostsKopecks ?? 0) + Number(count.leadCostsKopecks ?? 0),
      });
    }
    return [...counts.values()];
  }
}
