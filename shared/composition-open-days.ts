import { randomUUID } from 'node:crypto';
import type { Keys } from './access/keys.ts';
import { ConsentStore } from './adapters/consent-store.ts';
import { Mailer } from './adapters/mailer.ts';
import { OpenDayStore } from './adapters/open-day-store.ts';
import { DynamoRateLimiter } from './adapters/rate-limiter.ts';
import { SuppressionStore } from './adapters/suppression-store.ts';
import { documentClient } from './clients/dynamodb.ts';
import { sesClient } from './clients/ses.ts';
import { directory, leads } from './composition.ts';
import { type CaptureDeps, captureLead } from './leads/capture-lead.ts';
import { MAX_ENQUIRIES_PER_LEAD } from './leads/enquiry.ts';
import type { RateLimiter } from './leads/ports.ts';
import type { RegistrationDeps } from './open-days/register.ts';
import type { RunOpenDayDeps } from './open-days/run-open-day.ts';
import { tellRegistrant } from './open-days/tell-registrant.ts';
import { logger, numericSetting, setting } from './runtime.ts';

export const openDays = () => new OpenDayStore(documentClient(), setting('tableName'));

/**
 * The email a changed registration owes, sent at once: one that fails stays owed on the registration,
 * and the minute's sweep sends it (the failure is logged by ids only).
 */
export const registrantMail = (keys: Keys, store: OpenDayStore) => {
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
    consentTexts: new ConsentStore(documentClient(), setting('tableName')),
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

/**
 * The bank's own submissions (an attendee's lead) are not a client to rate-limit: the limit guards the
 * public form against floods, and an open day's attendees are a list the bank holds.
 */
const unlimited: RateLimiter = { hit: async () => ({ allowed: true }) };

/**
 * The OpenDay run: the table, SES for reminders and follow-ups, the suppression list the follow-up
 * screens on, and the web form's capture path.
 */
export const runOpenDayDeps = (keys: Keys): RunOpenDayDeps => {
  const capture: CaptureDeps = {
    leads: leads(),
    referrers: directory(),
    keys,
    rateLimiter: unlimited,
    consentTexts: new ConsentStore(documentClient(), setting('tableName')),
    duplicateWindowDays: numericSetting('duplicateWindowDays'),
    now: () => new Date(),
    newId: randomUUID,
    enquiryLimit: MAX_ENQUIRIES_PER_LEAD,
  };
  return {
    openDays: openDays(),
    managers: directory(),
    mail: new Mailer(sesClient(), setting('senderEmail')),
    keys,
    apiUrl: setting('apiUrl'),
    senderEmail: setting('senderEmail'),
    suppressions: new SuppressionStore(documentClient(), setting('tableName')),
    capture: (request) => captureLead(capture, request),
    now: () => new Date(),
    budgetMs: 60_000,
  };
};
