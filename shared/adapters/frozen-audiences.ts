import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { FrozenAudience, FrozenAudiences } from '../audiences/ports.ts';
import { keys, TableAdapter } from './table.ts';

const MEMBER = 'MEMBER#';

/** Frozen audiences and their members (`AUDIENCE#<id>` / `MEMBER#<prospectId>`), as the sender reads them. */
export class FrozenAudienceStore extends TableAdapter implements FrozenAudiences {
  async frozen(audienceId: string): Promise<FrozenAudience | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.audience(audienceId), ConsistentRead: true }),
    );
    if (Item?.status !== 'frozen') return undefined;
    return { audienceId, name: Item.name, count: Item.count, frozenAt: Item.frozenAt };
  }

  async members(audienceId: string, page: { limit: number; after?: string }) {
    const { pk } = keys.audience(audienceId);
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :member)',
        ExpressionAttributeValues: { ':pk': pk, ':member': MEMBER },
        ...(page.after ? { ExclusiveStartKey: { pk, sk: `${MEMBER}${page.after}` } } : {}),
        Limit: page.limit,
      }),
    );
    const prospectIds = Items.map((item) => (item.sk as string).slice(MEMBER.length));
    return { prospectIds, ...(LastEvaluatedKey ? { after: prospectIds.at(-1) as string } : {}) };
  }
}
