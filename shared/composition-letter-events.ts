import type { Keys } from './access/keys.ts';
import { SuppressionStore } from './adapters/suppression-store.ts';
import { documentClient } from './clients/dynamodb.ts';
import type { LetterEventDeps } from './letters/letter-events.ts';
import { addressHashOf } from './letters/unsubscribe.ts';
import { setting } from './runtime.ts';

/**
 * SES's events about letters: the suppression list in the table, addresses hashed with the bank's keys.
 * The campaign's per-send records join here (`sends`) once they exist.
 */
export const letterEventDeps = (keys: Keys): LetterEventDeps => ({
  suppressions: new SuppressionStore(documentClient(), setting('tableName')),
  addressHash: (address) => addressHashOf(keys, address),
});
