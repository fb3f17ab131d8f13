import { randomUUID } from 'node:crypto';
import type { Keys } from './access/keys.ts';
import { ConsentStore } from './adapters/consent-store.ts';
import { SuppressionStore } from './adapters/suppression-store.ts';
import { documentClient } from './clients/dynamodb.ts';
import type { ConsentDeps } from './consents/keep-consents.ts';
import type { WithdrawalLinkDeps } from './consents/withdrawal-link.ts';
import { setting } from './runtime.ts';

/** Consents: texts, evidence and the suppression list, in the table; `keys` hash addresses and sign links. */
export const consentDeps = (keys: Keys): ConsentDeps => {
  const store = new ConsentStore(documentClient(), setting('tableName'));
  return {
    texts: store,
    history: store,
    suppressions: new SuppressionStore(documentClient(), setting('tableName')),
    keys,
    now: () => new Date(),
    newId: randomUUID,
  };
};

/** A person's withdrawal link: their history and the suppression list. */
export const withdrawalLinkDeps = (keys: Keys): WithdrawalLinkDeps => ({
  history: new ConsentStore(documentClient(), setting('tableName')),
  suppressions: new SuppressionStore(documentClient(), setting('tableName')),
  keys,
  now: () => new Date(),
  newId: randomUUID,
});
