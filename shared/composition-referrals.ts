import type { Keys } from './access/keys.ts';
import { Directory } from './adapters/directory.ts';
import { ReferralStore } from './adapters/referral-store.ts';
import { documentClient } from './clients/dynamodb.ts';
import type { ProgrammeDeps } from './referrals/programme.ts';
import { setting } from './runtime.ts';

/** The referral programme over the table: codes and referrals, and the clients of the directory. */
export const programmeDeps = (keys: Keys): ProgrammeDeps => ({
  book: new ReferralStore(documentClient(), setting('tableName')),
  clients: new Directory(documentClient(), setting('tableName')),
  keys,
  now: () => new Date(),
  landingPage: setting('referralLandingPage'),
  apiUrl: setting('apiUrl'),
});

/** A referrer's status link: its code and referrals. */
export const statusLinkDeps = (keys: Keys) => ({
  book: new ReferralStore(documentClient(), setting('tableName')),
  keys,
  now: () => new Date(),
});
