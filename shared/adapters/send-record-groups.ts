import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RecordKey, Settlement } from '../campaigns/ports.ts';
import { keys, type TransactItems, transact } from './table.ts';

/**
 * Writes of a group of one step's send records in one transaction (CampaignProgressStore's `recordAll` and
 * `settleClaims`): the records' items and one update of the step's counters for them all.
 */

export type TransactItem = TransactItems[number];

/**
 * The group's items and its counter update in one transaction. A member whose condition fails cancels it;
 * it is written again without that member, until it is written. Answers who was written. `group` gives the
 * items of the members left, each with its member, and the counter update for them (none: nothing to count).
 */
export async function inOneTransaction(
  client: DynamoDBDocumentClient,
  size: number,
  group: (left: number[]) => { items: [number, TransactItem][]; counter: TransactItem | undefined },
): Promise<boolean[]> {
  const written = new Array<boolean>(size).fill(false);
  let left = Array.from({ length: size }, (_, i) => i);
  for (;;) {
    const { items, counter } = group(left);
    if (items.length === 0 && !counter) return written;
    const all = items.map(([, item]) => item);
    if (counter) all.push(counter);
    const cancelled = await transact(client, all);
    if (!cancelled) {
      for (const i of left) written[i] = true;
      return written;
    }
    const refused = new Set(
      cancelled.flatMap((r, j) => (r.code === 'ConditionalCheckFailed' && items[j] ? [items[j][0]] : [])),
    );
    if (refused.size === 0) throw new Error('A group transaction was cancelled without a refusal');
    left = left.filter((i) => !refused.has(i));
  }
}

/** A claim moved on without a read: only if it is still the claim written at `claimedAt`. */
export function claimUpdate(
  tableName: string,
  step: Pick<RecordKey, 'campaignId' | 'step'>,
  claim: { prospectId: string; claimedAt: string; to: Settlement },
  at: string,
): TransactItem {
  const { prospectId, claimedAt, to } = claim;
  const set = Object.entries({ ...to, at });
  const names = Object.fromEntries(set.map(([name], i) => [`#s${i}`, name]));
  const values = Object.fromEntries(set.map(([, value], i) => [`:s${i}`, value]));
  const remove = to.status === 'deferred' ? '' : ' REMOVE retryAt';
  return {
    Update: {
      TableName: tableName,
      Key: keys.sendRecord(step.campaignId, prospectId, step.step),
      UpdateExpression: `SET ${Object.keys(names)
        .map((n, i) => `${n} = :s${i}`)
        .join(', ')}${remove}`,
      ConditionExpression: '#status = :claimed AND #at = :claimedAt',
      ExpressionAttributeNames: { ...names, '#status': 'status', '#at': 'at' },
      ExpressionAttributeValues: { ...values, ':claimed': 'claimed', ':claimedAt': claimedAt },
    },
  };
}
