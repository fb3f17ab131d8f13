import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Campaign, SendRecord } from '../campaigns/campaign.ts';
import type { CampaignPage, Campaigns, Transition } from '../campaigns/ports.ts';
import { keys, MANAGERS_INDEX, TableAdapter, withoutKeys } from './table.ts';

/**
 * Campaigns (`CAMPAIGN#<id>` / `CAMPAIGN`), listed newest first on GSI1 under `CAMPAIGNS` (the index also
 * lists the unit's managers, under their own key). Every change of status is one conditional update: a
 * pause and the run that sends cannot both win (docs/data-model.md).
 */
export class CampaignStore extends TableAdapter implements Campaigns {
  async create(campaign: Campaign): Promise<'created' | 'exists'> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.campaign(campaign.campaignId),
            type: 'Campaign',
            gsi1pk: CAMPAIGNS_LIST,
            gsi1sk: `${campaign.createdAt}#${campaign.campaignId}`,
            ...campaign,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'created';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'exists';
      throw error;
    }
  }

  async get(campaignId: string): Promise<Campaign | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.campaign(campaignId), ConsistentRead: true }),
    );
    return Item ? withoutKeys<Campaign>(Item) : undefined;
  }

  async transition(
    campaignId: string,
    change: Transition,
    at: string,
  ): Promise<Campaign | 'stale' | 'not_found'> {
    const names: Record<string, string> = { '#status': 'status', '#updatedAt': 'updatedAt' };
    const values: Record<string, unknown> = { ':updatedAt': at };
    const sets = ['#updatedAt = :updatedAt'];
    const removes: string[] = [];
    for (const [i, [field, value]] of Object.entries(change.set).entries()) {
      names[`#f${i}`] = field;
      if (value === undefined) removes.push(`#f${i}`);
      else {
        sets.push(`#f${i} = :f${i}`);
        values[`:f${i}`] = value;
      }
    }
    const from = change.from.map((status, i) => {
      values[`:from${i}`] = status;
      return `:from${i}`;
    });
    let condition = `attribute_exists(pk) AND #status IN (${from.join(', ')})`;
    if (change.run !== undefined) {
      names['#run'] = 'run';
      values[':run'] = change.run;
      condition += ' AND #run = :run';
    }
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.campaign(campaignId),
          UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return withoutKeys<Campaign>(Attributes ?? {});
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return error.Item ? 'stale' : 'not_found';
      throw error;
    }
  }

  async list(page: { limit: number; after?: string }): Promise<CampaignPage> {
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: MANAGERS_INDEX.name,
        KeyConditionExpression: 'gsi1pk = :list',
        ExpressionAttributeValues: { ':list': CAMPAIGNS_LIST },
        ScanIndexForward: false,
        Limit: page.limit,
        ...(page.after
          ? { ExclusiveStartKey: JSON.parse(Buffer.from(page.after, 'base64url').toString()) }
          : {}),
      }),
    );
    return {
      campaigns: Items.map((item) => withoutKeys<Campaign>(item)),
      ...(LastEvaluatedKey
        ? { next: Buffer.from(JSON.stringify(LastEvaluatedKey)).toString('base64url') }
        : {}),
    };
  }
}

/** The GSI1 partition that lists campaigns. */
export const CAMPAIGNS_LIST = 'CAMPAIGNS';

/** A record's counter on the step's progress item: one per status, skips one per reason. */
export const counterOf = (record: Pick<SendRecord, 'status'> & { reason?: string }): string => {
  switch (record.status) {
    case 'claimed':
      return 'open';
    case 'skipped':
      return `skipped_${record.reason}`;
    default:
      return record.status;
  }
};
