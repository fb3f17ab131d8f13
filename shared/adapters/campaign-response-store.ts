import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CampaignResponses } from '../campaigns/ports.ts';
import type { CampaignResponse } from '../leads/ports.ts';
import { getAll } from './batch.ts';
import { keys, MANAGERS_INDEX, TableAdapter } from './table.ts';

/** GSI1's list of one campaign's responses, a prospect each (sorted by prospect id). */
const responsesList = (campaignId: string) => `RESPONSES#${campaignId}`;

/**
 * The capture's transaction item that keeps a prospect's answer to a campaign. Unconditional: a second
 * answer of the same prospect (an enquiry on the lead the first made) rewrites the same item, so the
 * campaign counts prospects who answered, not forms.
 */
export function campaignResponsePut(tableName: string, response: CampaignResponse) {
  const { campaignId, prospectId } = response;
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...keys.campaignResponse(campaignId, prospectId),
        type: 'CampaignResponse',
        gsi1pk: responsesList(campaignId),
        gsi1sk: prospectId,
        ...response,
      },
    },
  };
}

/** Who answered a campaign's letters, as the capture path kept it (docs/campaigns.md, "Follow-up"). */
export class CampaignResponseStore extends TableAdapter implements CampaignResponses {
  async responded(campaignId: string, prospectIds: readonly string[]): Promise<Set<string>> {
    const found = await getAll(
      this.client,
      this.tableName,
      prospectIds.map((prospectId) => keys.campaignResponse(campaignId, prospectId)),
      ['prospectId'],
    );
    return new Set(found.map((item) => String(item.prospectId)));
  }

  async count(campaignId: string): Promise<number> {
    let count = 0;
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: MANAGERS_INDEX.name,
          KeyConditionExpression: 'gsi1pk = :list',
          ExpressionAttributeValues: { ':list': responsesList(campaignId) },
          Select: 'COUNT',
          ExclusiveStartKey,
        }),
      );
      count += page.Count ?? 0;
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return count;
  }
}
