import { randomUUID } from 'node:crypto';
import type { Keys } from './access/keys.ts';
import { Mailer } from './adapters/mailer.ts';
import { OpenDayStore } from './adapters/open-day-store.ts';
import { DynamoRateLimiter } from './adapters/rate-limiter.ts';
import { documentClient } from './clients/dynamodb.ts';
import { sesClient } from './clients/ses.ts';
import { directory } from './composition.ts';
import type { RegistrationDeps, SweepDeps } from './open-days/register.ts';
import { tellRegistrant } from './open-days/tell-registrant.ts';
import { logger, numericSetting, setting } from './runtime.ts';

const openDays = () => new OpenDayStore(documentClient(), setting('tableName'));

/**
 * The email a changed registration owes, sent at once: one that fails stays owed on the registration,
 * and the minute's sweep sends it (the failure is logged by ids only).
 */
const registrantMail = (keys: Keys, store: OpenDayStore) => {
  const deps = {
    openDays: store,
    managers: directory(),
    mail: new Mailer(sesClient(), setting('senderEmail')),
    keys,
    apiUrl: setting('apiUrl'),
    senderEmail: setting('senderEmail'),
    now: () => new Date(),
  };
  return async (openDayId: string, emailHash: string) => {
    try {
      await tellRegistrant(deps, openDayId, emailHash);
    } catch (error) {
      logger.warn('Registrant email left owed for the sweep', {
        openDayId,
        error: error instanceof Error ? error.name : 'unknown',
      });
    }
  };
};

/** The public registration and its links: the table, the rate limit of public forms, the key, SES. */
export const registrationDeps = (keys: Keys): RegistrationDeps => {
  const store = openDays();
  return {
    openDays: store,
    rateLimiter: new DynamoRateLimiter(
      documentClient(),
      setting('tableName'),
      numericSetting('leadRateLimitPerMinute'),
    ),
    keys,
    now: () => new Date(),
    newId: randomUUID,
    tell: registrantMail(keys, store),
  };
};

/** The minute's sweep: offers that ran out, emails still owed. */
export const sweepDeps = (keys: Keys): SweepDeps => {
  const store = openDays();
  return { openDays: store, now: () => new Date(), tell: registrantMail(keys, store) };
};
