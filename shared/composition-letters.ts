import { randomUUID } from 'node:crypto';
import type { Keys } from './access/keys.ts';
import { ConsentStore } from './adapters/consent-store.ts';
import { ProspectReader } from './adapters/prospect-reader.ts';
import { SuppressionStore } from './adapters/suppression-store.ts';
import { documentClient } from './clients/dynamodb.ts';
import { captureDeps } from './composition.ts';
import type { ResponseDeps } from './letters/respond-to-letter.ts';
import type { UnsubscribeDeps } from './letters/unsubscribe-link.ts';
import { setting } from './runtime.ts';

/**
 * A letter's unsubscribe link, a withdrawal of marketing: the suppression list and the person's consent
 * history, in the table; the key secret read once per environment.
 */
export const unsubscribeDeps = (keys: Keys): UnsubscribeDeps => ({
  keys,
  history: new ConsentStore(documentClient(), setting('tableName')),
  suppressions: new SuppressionStore(documentClient(), setting('tableName')),
  now: () => new Date(),
  newId: randomUUID,
});

/** A letter's "request a call": the web form's capture path, and the prospect the link names. */
export const letterResponseDeps = (keys: Keys): ResponseDeps => ({
  ...captureDeps(keys),
  prospects: new ProspectReader(documentClient(), setting('tableName')),
});
