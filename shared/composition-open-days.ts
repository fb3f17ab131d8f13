import { randomUUID } from 'node:crypto';
import type { Keys } from './access/keys.ts';
import { OpenDayStore } from './adapters/open-day-store.ts';
import { DynamoRateLimiter } from './adapters/rate-limiter.ts';
import { documentClient } from './clients/dynamodb.ts';
import { directory } from './composition.ts';
import type { OpenDayDeps } from './open-days/keep-open-days.ts';
import type { RegistrationDeps } from './open-days/register.ts';
import { numericSetting, setting } from './runtime.ts';

const openDays = () => new OpenDayStore(documentClient(), setting('tableName'));

/** The campaign manager's open days: the table, and the directory for the hosts. */
export const openDayDeps = (): OpenDayDeps => ({
  openDays: openDays(),
  managers: directory(),
  now: () => new Date(),
  newId: randomUUID,
});

/** The public registration and its links: the table, the rate limit of public forms, the key. */
export const registrationDeps = (keys: Keys): RegistrationDeps => ({
  openDays: openDays(),
  rateLimiter: new DynamoRateLimiter(
    documentClient(),
    setting('tableName'),
    numericSetting('leadRateLimitPerMinute'),
  ),
  keys,
  now: () => new Date(),
  newId: randomUUID,
});
