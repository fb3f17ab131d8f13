import type { Keys } from './access/keys.ts';
import { ProspectReader } from './adapters/prospect-reader.ts';
import { SuppressionStore } from './adapters/suppression-store.ts';
import { documentClient } from './clients/dynamodb.ts';
import { captureDeps } from './composition.ts';
import type { ResponseDeps } from './letters/respond-to-letter.ts';
import type { UnsubscribeDeps } from './letters/unsubscribe-link.ts';
import { setting } from './runtime.ts';

/** The links in a campaign's letter: the table alone, and the key secret read once per environment. */
export const unsubscribeDeps = (keys: Keys): UnsubscribeDeps => ({
  keys,
  suppressions: new SuppressionStore(documentClient(), setting('tableName')),
  now: () => new Date(),
});

/** A letter's "request a call": the web form's capture path, and the prospect the link names. */
export const letterResponseDeps = (keys: Keys): ResponseDeps => ({
  ...captureDeps(keys),
  prospects: new ProspectReader(documentClient(), setting('tableName')),
});
