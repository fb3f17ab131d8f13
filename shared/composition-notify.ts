import { Mailer } from './adapters/mailer.ts';
import { NotificationStore } from './adapters/notification-store.ts';
import { documentClient } from './clients/dynamodb.ts';
import { sesClient } from './clients/ses.ts';
import { directory, leads } from './composition.ts';
import type { NotifyDeps } from './leads/notify-manager.ts';
import { setting } from './runtime.ts';

/** Telling managers about leads: the table, and SES for the letters. */
export const notifyDeps = (): NotifyDeps => ({
  leads: leads(),
  managers: directory(),
  notifications: new NotificationStore(documentClient(), setting('tableName')),
  mail: new Mailer(sesClient(), setting('senderEmail')),
  now: () => new Date(),
});
