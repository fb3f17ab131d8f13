import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { refusalOf } from '../offers/keep-offers.ts';
import type { Offer, OfferAuditEntry, OfferVersion } from '../offers/offer.ts';
import type { AuditPage, DecisionRefusal, Offers, VersionDecision } from '../offers/ports.ts';
import {
  keys,
  OFFER_AUDIT_PREFIX,
  TableAdapter,
  type TransactItems,
  transact,
  withoutKeys,
} from './table.ts';

/**
 * Offers in one partition each (`OFFER#<id>`): the offer (`OFFER`, with the latest version's number and the
 * approved pointer), its versions (`VERSION#<n>`, written once) and its audit trail (`AUDIT#<at>#<id>`).
 * Every rule of the port is a condition of the write that changes it (docs/data-model.md, pattern 17).
 */
export class OfferStore extends TableAdapter implements Offers {
  async create(offer: Offer, first: OfferVersion, audit: OfferAuditEntry): Promise<'created' | 'exists'> {
    const items: TransactItems = [
      this.putNew(keys.offer(offer.offerId), 'Offer', offer),
      this.putNew(keys.offerVersion(first.offerId, first.version), 'OfferVersion', first),
      this.auditPut(audit),
    ];
    return (await transact(this.client, items)) ? 'exists' : 'created';
  }

  async saveVersion(version: OfferVersion, audit: OfferAuditEntry): Promise<'saved' | 'stale' | 'not_found'> {
    const refused = await transact(this.client, [
      {
        Update: {
          TableName: this.tableName,
          Key: keys.offer(version.offerId),
          // The new content is not approved: the pointer goes until the new version is approved in turn.
          UpdateExpression: 'SET latestVersion = :n REMOVE approved',
          ConditionExpression: 'latestVersion = :previous',
          ExpressionAttributeValues: { ':n': version.version, ':previous': version.version - 1 },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      this.putNew(keys.offerVersion(version.offerId, version.version), 'OfferVersion', version),
      this.auditPut(audit),
    ]);
    if (!refused) return 'saved';
    const offer = refused[0];
    return offer?.code === 'ConditionalCheckFailed' && !offer.item ? 'not_found' : 'stale';
  }

  async decide(request: VersionDecision, audit: OfferAuditEntry): Promise<'decided' | DecisionRefusal> {
    const { offerId, version, decision } = request;
    const latest = {
      TableName: this.tableName,
      Key: keys.offer(offerId),
      ConditionExpression: 'latestVersion = :n',
    };
    const offerItem: TransactItems[number] =
      decision.outcome === 'approved'
        ? {
            Update: {
              ...latest,
              UpdateExpression: 'SET approved = :pointer',
              ExpressionAttributeValues: {
                ':n': version,
                ':pointer': { version, hash: decision.hash, by: decision.by, at: decision.at },
              },
            },
          }
        : { ConditionCheck: { ...latest, ExpressionAttributeValues: { ':n': version } } };
    const refused = await transact(this.client, [
      {
        Update: {
          TableName: this.tableName,
          Key: keys.offerVersion(offerId, version),
          UpdateExpression: 'SET decision = :decision',
          ConditionExpression:
            'attribute_exists(pk) AND #hash = :hash AND attribute_not_exists(decision) AND author <> :by',
          ExpressionAttributeNames: { '#hash': 'hash' },
          ExpressionAttributeValues: { ':decision': decision, ':hash': decision.hash, ':by': decision.by },
        },
      },
      offerItem,
      this.auditPut(audit),
    ]);
    if (!refused) return 'decided';
    // Refused by a condition: the stored items say which rule, as the in-memory store would have said.
    const [offer, stored] = await Promise.all([this.get(offerId), this.version(offerId, version)]);
    return refusalOf(offer, stored, request) ?? 'already_decided';
  }

  async get(offerId: string): Promise<Offer | undefined> {
    return this.read<Offer>(keys.offer(offerId));
  }

  async version(offerId: string, version: number): Promise<OfferVersion | undefined> {
    return this.read<OfferVersion>(keys.offerVersion(offerId, version));
  }

  async audit(offerId: string, page: { limit: number; after?: string }): Promise<AuditPage> {
    const { pk } = keys.offer(offerId);
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': OFFER_AUDIT_PREFIX },
        ConsistentRead: true,
        Limit: page.limit,
        ...(page.after ? { ExclusiveStartKey: { pk, sk: page.after } } : {}),
      }),
    );
    return {
      entries: Items.map((item) => withoutKeys<OfferAuditEntry>(item)),
      ...(LastEvaluatedKey ? { next: String(LastEvaluatedKey.sk) } : {}),
    };
  }

  private async read<T>(key: { pk: string; sk: string }): Promise<T | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    return Item ? withoutKeys<T>(Item) : undefined;
  }

  /** An item written once: a second write under its key is refused, never an overwrite. */
  private putNew(key: { pk: string; sk: string }, type: string, value: object): TransactItems[number] {
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...key, type, ...value },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  private auditPut(entry: OfferAuditEntry): TransactItems[number] {
    return this.putNew(keys.offerAudit(entry.offerId, entry.at, entry.auditId), 'OfferAudit', entry);
  }
}
