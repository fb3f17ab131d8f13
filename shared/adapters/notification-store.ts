import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { TimelineEntry } from '../leads/lead.ts';
import type { NoticeClaim } from '../leads/notify-manager.ts';
import type { Notice, NotificationClaim, Notifications, SentNotice } from '../leads/ports.ts';
import { keys, TableAdapter, timelinePut, transact } from './table.ts';

type ItemKey = { pk: string; sk: string };

/**
 * Opens (or reopens, if a run died holding it) the claim on the notice item at `key`; never once it is
 * sent. Any notice item is claimed this way: a lead's (below) or a campaign's (campaign-notice-store.ts).
 */
export async function claimNotice(
  client: DynamoDBDocumentClient,
  tableName: string,
  key: ItemKey,
  at: string,
): Promise<NotificationClaim> {
  try {
    const { Attributes = {} } = await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        // A reopened claim keeps its id, so every copy of the notification carries the same one.
        UpdateExpression:
          'SET #type = :type, #status = :sending, claimedAt = :at, claimId = if_not_exists(claimId, :claimId) ADD attempts :one',
        ConditionExpression: 'attribute_not_exists(#status) OR #status = :sending',
        ExpressionAttributeNames: { '#type': 'type', '#status': 'status' },
        ExpressionAttributeValues: {
          ':type': 'Notification',
          ':sending': 'sending',
          ':at': at,
          ':claimId': randomUUID(),
          ':one': 1,
        },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { kind: 'claimed', claimId: String(Attributes.claimId), attempt: Number(Attributes.attempts) };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const sent = error.Item ? unmarshall(error.Item) : {};
    return {
      kind: 'already_sent',
      messageId: String(sent.messageId ?? ''),
      attempt: Number(sent.attempts ?? 1),
    };
  }
}

/** The write that records the sent message, only while the notice is `sending` under our claim id. */
export function noticeSentUpdate(tableName: string, key: ItemKey, sent: SentNotice) {
  return {
    TableName: tableName,
    Key: key,
    UpdateExpression:
      'SET #status = :sent, messageId = :messageId, sentAt = :at, sentAttempt = :attempt, possibleRepeat = :repeat',
    ConditionExpression: '#status = :sending AND claimId = :claimId',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':sent': 'sent',
      ':sending': 'sending',
      ':claimId': sent.claimId,
      ':messageId': sent.messageId,
      ':at': sent.at,
      ':attempt': sent.attempt,
      ':repeat': sent.attempt > 1,
    },
  };
}

/**
 * The claim of the notice item at `key`, for `sendClaimed`: a notice kept by itself, recorded with no
 * other write (a campaign's, a registrant's).
 */
export function noticeClaimAt(client: DynamoDBDocumentClient, tableName: string, key: ItemKey): NoticeClaim {
  return {
    claim: (at) => claimNotice(client, tableName, key, at),
    recordSent: async (sent) => {
      try {
        await client.send(new UpdateCommand(noticeSentUpdate(tableName, key, sent)));
        return 'recorded';
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return 'already_recorded';
        throw error;
      }
    },
  };
}

/**
 * The manager notifications of a lead, one item per notice (`NOTIFICATION#<notice>`): status
 * `sending` while a run holds the claim, `sent` with the SES message id once the send is recorded.
 */
export class NotificationStore extends TableAdapter implements Notifications {
  claim(leadId: string, notice: Notice, at: string): Promise<NotificationClaim> {
    return claimNotice(this.client, this.tableName, keys.notification(leadId, notice), at);
  }

  async recordSent(
    leadId: string,
    notice: Notice,
    sent: SentNotice,
    entry: TimelineEntry,
  ): Promise<'recorded' | 'already_recorded'> {
    const cancelled = await transact(this.client, [
      { Update: noticeSentUpdate(this.tableName, keys.notification(leadId, notice), sent) },
      timelinePut(this.tableName, leadId, `${entry.kind}#${notice}`, entry),
    ]);
    return cancelled ? 'already_recorded' : 'recorded';
  }
}
