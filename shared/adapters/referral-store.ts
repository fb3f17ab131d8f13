import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { IssueResult, ReferralBook, ReferralCode, ReviewResult } from '../referrals/ports.ts';
import type { Referral, ReferralWrite } from '../referrals/referral.ts';
import { epochSeconds, keys, TableAdapter, type TransactItems, withoutKeys } from './table.ts';

/**
 * What the capture writes with a referred lead (docs/data-model.md): the referral under its referrer, the
 * company's claim on its first code (taken only when free: a claim whose window ended is free) and the
 * code's count of the day. A retried capture never repeats them: the lead's own Put fails first.
 */
export function referralItems(tableName: string, write: ReferralWrite, now: number): TransactItems {
  const { referral } = write;
  return [
    {
      Put: {
        TableName: tableName,
        Item: { ...keys.referral(referral.clientId, referral.leadId), type: 'Referral', ...referral },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: tableName,
        Item: {
          ...keys.referredCompany(write.innHash),
          type: 'ReferralClaim',
          leadId: referral.leadId,
          clientId: referral.clientId,
          expiresAt: epochSeconds(write.claimUntil),
        },
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
        ExpressionAttributeValues: { ':now': now },
      },
    },
    {
      Update: {
        TableName: tableName,
        Key: keys.referralDay(referral.code, write.day),
        UpdateExpression: 'ADD leads :one SET #type = :type',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':one': 1, ':type': 'ReferralDay' },
      },
    },
  ];
}

/** The referral programme's codes and referrals, in the Attract table. */
export class ReferralStore extends TableAdapter implements ReferralBook {
  async issue(code: ReferralCode): Promise<IssueResult> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...keys.referrerCode(code.clientId), type: 'ReferrerCode', code: code.code },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { ...keys.referralCode(code.code), type: 'ReferralCode', ...code },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return { outcome: 'issued', code };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const existing = await this.codeOfClient(code.clientId);
      // Not the client's code: 50 random bits met another client's code. The caller's retry draws anew.
      if (!existing) throw new Error('A new referral code was taken by another client');
      return { outcome: 'existing', code: existing };
    }
  }

  async codeOfClient(clientId: string): Promise<ReferralCode | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.referrerCode(clientId), ConsistentRead: true }),
    );
    return Item ? this.byCode(String(Item.code)) : undefined;
  }

  async byCode(code: string): Promise<ReferralCode | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.referralCode(code), ConsistentRead: true }),
    );
    return Item ? withoutKeys<ReferralCode>(Item) : undefined;
  }

  async deactivate(code: string, by: string, at: string): Promise<ReferralCode | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.referralCode(code),
          // A second deactivation keeps the first one's time and author.
          UpdateExpression:
            'SET active = :no, deactivatedAt = if_not_exists(deactivatedAt, :at), deactivatedBy = if_not_exists(deactivatedBy, :by)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':no': false, ':at': at, ':by': by },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes ? withoutKeys<ReferralCode>(Attributes) : undefined;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return undefined;
      throw error;
    }
  }

  async referralsOf(clientId: string): Promise<Referral[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.referrerCode(clientId).pk, ':prefix': 'REFERRAL#' },
      ConsistentRead: true,
    });
    return items
      .map((item) => withoutKeys<Referral>(item))
      .sort((a, b) => a.referredAt.localeCompare(b.referredAt));
  }

  async referral(clientId: string, leadId: string): Promise<Referral | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.referral(clientId, leadId),
        ConsistentRead: true,
      }),
    );
    return Item ? withoutKeys<Referral>(Item) : undefined;
  }

  async review(
    clientId: string,
    leadId: string,
    review: NonNullable<Referral['review']>,
  ): Promise<ReviewResult> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.referral(clientId, leadId),
          UpdateExpression: 'SET review = :review',
          ConditionExpression:
            'attribute_exists(pk) AND size(flags) > :none AND attribute_not_exists(review)',
          ExpressionAttributeValues: { ':review': review, ':none': 0 },
        }),
      );
      return 'reviewed';
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      const stored = await this.referral(clientId, leadId);
      if (!stored) return 'not_found';
      return stored.review ? 'already_reviewed' : 'not_flagged';
    }
  }

  async recordConversion(referral: Referral, innHash: string, at: string): Promise<'converted' | 'already'> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.referral(referral.clientId, referral.leadId),
                UpdateExpression: 'SET convertedAt = :at',
                ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(convertedAt)',
                ExpressionAttributeValues: { ':at': at },
              },
            },
            {
              // The claim stays the referral's for good: a company that became a client is nobody's referral again.
              Put: {
                TableName: this.tableName,
                Item: {
                  ...keys.referredCompany(innHash),
                  type: 'ReferralClaim',
                  leadId: referral.leadId,
                  clientId: referral.clientId,
                  convertedAt: at,
                },
              },
            },
          ],
        }),
      );
      return 'converted';
    } catch (error) {
      if (error instanceof TransactionCanceledException) return 'already';
      throw error;
    }
  }
}
