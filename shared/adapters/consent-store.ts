import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type ConsentText, TEXT_VERSION } from '../consents/consent-text.ts';
import type { ConsentEvidence } from '../consents/evidence.ts';
import {
  type ConsentHistory,
  type ConsentTexts,
  type HistoryPage,
  InvalidConsentCursor,
  type TextsPage,
} from '../consents/ports.ts';
import { MANAGERS_INDEX, TableAdapter, type TransactItems, transact, withoutKeys } from './table.ts';

/**
 * Consent texts and consent evidence (docs/data-model.md, pattern 22; docs/consents.md). A text is one
 * item, `CONSENT_TEXT#<version>`, written once, listed on GSI1 under `CONSENT_TEXTS` newest first. A
 * person's history is one partition, `CONSENTS#<keyed hash of the email>`, its records sorted by time
 * (`<at>#<evidenceId>`), so it reads newest first without an index.
 */
export const consentKeys = {
  text: (version: string) => ({ pk: `CONSENT_TEXT#${version}`, sk: 'CONSENT_TEXT' }),
  evidence: (emailHash: string, at: string, evidenceId: string) => ({
    pk: `CONSENTS#${emailHash}`,
    sk: `${at}#${evidenceId}`,
  }),
};

/** The texts' list on GSI1 (`gsi1sk` = `<publishedAt>#<version>`). */
export const CONSENT_TEXTS_LIST = 'CONSENT_TEXTS';

/**
 * The Put of each record, for the transaction that stores what the consent came with (a lead, an enquiry,
 * an open day's registration): the evidence is written with it or not at all. Unconditional: a record's
 * key derives from what it came with, so writing it again writes the same item.
 */
export function consentEvidenceItems(tableName: string, evidence: readonly ConsentEvidence[]): TransactItems {
  return evidence.map((e) => ({
    Put: {
      TableName: tableName,
      Item: { ...consentKeys.evidence(e.emailHash, e.at, e.evidenceId), type: 'ConsentEvidence', ...e },
    },
  }));
}

const TIME_ID = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z#[A-Za-z0-9:_-]{1,200}$/;

const cursorOf = (sk: unknown) => Buffer.from(String(sk)).toString('base64url');
function keyOfCursor(cursor: string, valid: RegExp): string {
  const key = Buffer.from(cursor, 'base64url').toString();
  if (!valid.test(key)) throw new InvalidConsentCursor();
  return key;
}

export class ConsentStore extends TableAdapter implements ConsentTexts, ConsentHistory {
  async publish(
    text: ConsentText,
  ): Promise<{ outcome: 'published'; text: ConsentText } | { outcome: 'exists' }> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...consentKeys.text(text.version),
            type: 'ConsentText',
            gsi1pk: CONSENT_TEXTS_LIST,
            gsi1sk: `${text.publishedAt}#${text.version}`,
            ...text,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { outcome: 'published', text };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    // Taken: the same wording for the same purpose is this publish retried, answered as it was stored.
    const stored = (await this.find([text.version])).get(text.version);
    return stored && stored.hash === text.hash && stored.purpose === text.purpose
      ? { outcome: 'published', text: stored }
      : { outcome: 'exists' };
  }

  async find(versions: readonly string[]): Promise<Map<string, ConsentText>> {
    // A form cites a handful of versions: one read each, side by side.
    const found = await Promise.all(
      [...new Set(versions)]
        .filter((v) => TEXT_VERSION.test(v))
        .map(async (version) => {
          const { Item } = await this.client.send(
            new GetCommand({
              TableName: this.tableName,
              Key: consentKeys.text(version),
              ConsistentRead: true,
            }),
          );
          return Item ? withoutKeys<ConsentText>(Item) : undefined;
        }),
    );
    return new Map(found.filter((t) => t !== undefined).map((t) => [t.version, t]));
  }

  async list(page: { limit: number; after?: string }): Promise<TextsPage> {
    const after = page.after ? keyOfCursor(page.after, /^\d{4}-\d{2}-\d{2}T[\d:.]+Z#[a-z0-9-]{3,50}$/) : '';
    const version = after.slice(after.indexOf('#') + 1);
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: MANAGERS_INDEX.name,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': CONSENT_TEXTS_LIST },
        ScanIndexForward: false,
        Limit: page.limit,
        ...(after
          ? { ExclusiveStartKey: { ...consentKeys.text(version), gsi1pk: CONSENT_TEXTS_LIST, gsi1sk: after } }
          : {}),
      }),
    );
    return {
      texts: Items.map((item) => withoutKeys<ConsentText>(item)),
      ...(LastEvaluatedKey ? { next: cursorOf(LastEvaluatedKey.gsi1sk) } : {}),
    };
  }

  async record(evidence: readonly ConsentEvidence[]): Promise<void> {
    if (evidence.length === 0) return;
    const cancelled = await transact(this.client, consentEvidenceItems(this.tableName, evidence));
    if (cancelled) throw new Error('Consent evidence was refused without a condition');
  }

  async history(emailHash: string, page: { limit: number; after?: string }): Promise<HistoryPage> {
    const pk = `CONSENTS#${emailHash}`;
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        // Consistent: a withdrawal just recorded is in the history read after it.
        ConsistentRead: true,
        ScanIndexForward: false,
        Limit: page.limit,
        ...(page.after ? { ExclusiveStartKey: { pk, sk: keyOfCursor(page.after, TIME_ID) } } : {}),
      }),
    );
    return {
      entries: Items.map((item) => withoutKeys<ConsentEvidence>(item)),
      ...(LastEvaluatedKey ? { next: cursorOf(LastEvaluatedKey.sk) } : {}),
    };
  }
}
