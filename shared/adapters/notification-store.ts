import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { TimelineEntry } from '../leads/lead.ts';
import type { Notice, NotificationClaim, Notifications } from '../leads/ports.ts';
import { keys, TableAdapter, timelinePut, transact } from './table.ts';

/**
 * The manager notifications of a lead, one item per notice (`NOTIFICATION#<notice>`): status
 * `sending` while a run holds the claim, `sent` with the SES message id once the send is recorded.
 */
export class NotificationStore extends TableAdapter implements Notifications {
  async claim(leadId: string, notice: Notice, at: string): Promise<NotificationClaim> {
    try {
      const { Attributes = {} } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.notification(leadId, notice),
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

  async recordSent(
    leadId: string,
    notice: Notice,
    sent: { claimId: string; attempt: number; messageId: string; at: string },
    entry: TimelineEntry,
  ): Promise<'recorded' | 'already_recorded'> {
    const cancelled = await transact(this.client, [
      {
        Update: {
          TableName: this.tableName,
          Key: keys.notification(leadId, notice),
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
        },
      },
      timelinePut(this.tableName, leadId, `${entry.kind}#${notice}`, entry),
    ]);
    return cancelled ? 'already_recorded' : 'recorded';
  }
}
