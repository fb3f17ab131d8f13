import { Mailer } from './adapters/mailer.ts';
import { NotificationStore } from './adapters/notification-store.ts';
import { documentClient } from './clients/dynamodb.ts';
import { sesClient } from './clients/ses.ts';
import { directory, leads } from './composition.ts';
import type { HeadOfUnitAlertDeps } from './leads/notify-head-of-unit.ts';
import type { NotifyDeps } from './leads/notify-manager.ts';
import { optionalSetting, setting } from './runtime.ts';
import { LOCALES } from './templates/locale.ts';

/** Telling managers about leads: the table, and SES for the letters. */
export const notifyDeps = (): NotifyDeps => ({
  leads: leads(),
  managers: directory(),
  notifications: new NotificationStore(documentClient(), setting('tableName')),
  mail: new Mailer(sesClient(), setting('senderEmail')),
  now: () => new Date(),
});

/** Telling the PM unit's mailbox that a lead waits for its head: the table, and SES for the letter. */
export const headOfUnitAlertDeps = (): HeadOfUnitAlertDeps => {
  const language = setting('unitMailboxLanguage');
  const known = LOCALES.find((locale) => locale === language);
  if (!known) throw new Error(`The unit mailbox's language ${language} is not one of ${LOCALES.join(', ')}`);
  const apiUrl = optionalSetting('apiUrl');
  return {
    leads: leads(),
    notifications: new NotificationStore(documentClient(), setting('tableName')),
    mail: new Mailer(sesClient(), setting('senderEmail')),
    now: () => new Date(),
    unitMailbox: { address: setting('unitMailbox'), language: known },
    ...(apiUrl ? { apiUrl } : {}),
  };
};
