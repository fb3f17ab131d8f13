import type { LeadSourceCount } from '../ad-spend/ad-spend.ts';
import { keys, LEAD_SOURCE_SHARDS } from './table.ts';

/**
 * One more on a source's counter for the month, on the shard the lead id picks: `leads` in the capture's
 * transaction (a new lead, with what meeting it cost, if anything: `leadCostsKopecks`), `conversions` in
 * the outcome's (the lead converted). No condition: the transaction it rides in makes it count once.
 */
export function sourceCountAdd(
  tableName: string,
  count: LeadSourceCount,
  leadId: string,
  counter: 'leads' | 'conversions',
  leadCostKopecks = 0,
) {
  const cost =
    leadCostKopecks > 0
      ? { names: { '#cost': 'leadCostsKopecks' }, values: { ':cost': leadCostKopecks } }
      : undefined;
  const shard = Number.parseInt(leadId.slice(-1), 16) % LEAD_SOURCE_SHARDS || 0;
  return {
    Update: {
      TableName: tableName,
      Key: keys.leadSourceCount(count, shard),
      UpdateExpression: `ADD #counter :one${cost ? ', #cost :cost' : ''} SET #type = :type, #month = :month, #source = :source, #medium = :medium, #campaign = :campaign`,
      // Every name aliased: several (source, month) are DynamoDB's reserved words.
      ExpressionAttributeNames: {
        '#counter': counter,
        '#type': 'type',
        '#month': 'month',
        '#source': 'source',
        '#medium': 'medium',
        '#campaign': 'campaign',
        ...cost?.names,
      },
      ExpressionAttributeValues: {
        ':one': 1,
        ':type': 'LeadSourceCount',
        ':month': count.month,
        ':source': count.source,
        ':medium': count.medium,
        ':campaign': count.campaign,
        ...cost?.values,
      },
    },
  };
}
