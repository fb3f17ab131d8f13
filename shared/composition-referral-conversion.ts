import type { Keys } from './access/keys.ts';
import { LeadStore } from './adapters/lead-store.ts';
import { Mailer } from './adapters/mailer.ts';
import { NotificationStore } from './adapters/notification-store.ts';
import { ReferralStore } from './adapters/referral-store.ts';
import { documentClient } from './clients/dynamodb.ts';
import { sesClient } from './clients/ses.ts';
import type { ConversionDeps } from './referrals/record-conversion.ts';
import { setting } from './runtime.ts';

/** A referred company's conversion: the lead, the programme, the lead's notices and SES. */
export const conversionDeps = (keys: Keys): ConversionDeps => ({
  leads: new LeadStore(documentClient(), setting('tableName')),
  book: new ReferralStore(documentClient(), setting('tableName')),
  notifications: new NotificationStore(documentClient(), setting('tableName')),
  mail: new Mailer(sesClient(), setting('senderEmail')),
  keys,
  now: () => new Date(),
  apiUrl: setting('apiUrl'),
});
