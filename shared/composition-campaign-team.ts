import { CampaignNoticeStore } from './adapters/campaign-notice-store.ts';
import { CampaignProgressStore } from './adapters/campaign-progress-store.ts';
import { CampaignResponseStore } from './adapters/campaign-response-store.ts';
import { CampaignStore } from './adapters/campaign-store.ts';
import { Mailer } from './adapters/mailer.ts';
import type { CampaignTeamDeps } from './campaigns/notify-campaign-team.ts';
import { documentClient } from './clients/dynamodb.ts';
import { sesClient } from './clients/ses.ts';
import { optionalSetting, setting } from './runtime.ts';
import { LOCALES } from './templates/locale.ts';

/**
 * Telling the campaign team how a campaign's run ended: the table, and SES for the email (the staff
 * client, with the SDK's retries: this is one email, not a campaign's letters).
 */
export const campaignTeamDeps = (): CampaignTeamDeps => {
  const language = setting('campaignMailboxLanguage');
  const known = LOCALES.find((locale) => locale === language);
  if (!known) {
    throw new Error(`The campaign mailbox's language ${language} is not one of ${LOCALES.join(', ')}`);
  }
  const table = [documentClient(), setting('tableName')] as const;
  const apiUrl = optionalSetting('apiUrl');
  return {
    campaigns: new CampaignStore(...table),
    progress: new CampaignProgressStore(...table),
    responses: new CampaignResponseStore(...table),
    notices: new CampaignNoticeStore(...table),
    mail: new Mailer(sesClient(), setting('senderEmail')),
    now: () => new Date(),
    campaignTeam: { address: setting('campaignMailbox'), language: known },
    ...(apiUrl ? { apiUrl } : {}),
  };
};
