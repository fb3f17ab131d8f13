import { randomUUID } from 'node:crypto';
import type { Keys } from './access/keys.ts';
import { AudienceStore } from './adapters/audience-store.ts';
import { CampaignProgressStore } from './adapters/campaign-progress-store.ts';
import { CampaignResponseStore } from './adapters/campaign-response-store.ts';
import { CampaignStore } from './adapters/campaign-store.ts';
import { Directory } from './adapters/directory.ts';
import { LetterMailer, SesSendingQuota } from './adapters/letter-mailer.ts';
import { OfferStore } from './adapters/offer-store.ts';
import { ProspectBookStore } from './adapters/prospect-book.ts';
import { SendAllowanceStore } from './adapters/send-allowance-store.ts';
import { SuppressionStore } from './adapters/suppression-store.ts';
import type { SendLettersDeps } from './campaigns/send-letters.ts';
import { RUN_BUDGET_SECONDS } from './campaigns/send-letters.ts';
import { documentClient } from './clients/dynamodb.ts';
import { letterSesClient } from './clients/ses.ts';
import { setting } from './runtime.ts';

const table = () => [documentClient(), setting('tableName')] as const;

/** The LetterCampaign state machine's sender: the table, SES for the letters and the account's quota. */
export const sendLettersDeps = (keys: Keys): SendLettersDeps => {
  const suppressions = new SuppressionStore(...table());
  const quota = new SesSendingQuota(letterSesClient());
  return {
    campaigns: new CampaignStore(...table()),
    progress: new CampaignProgressStore(...table()),
    audiences: new AudienceStore(...table()),
    prospects: new ProspectBookStore(...table()),
    responses: new CampaignResponseStore(...table()),
    suppression: { keys, suppressions, sendCounter: suppressions, clients: new Directory(...table()) },
    offers: { offers: new OfferStore(...table()), now: () => new Date(), newId: randomUUID },
    keys,
    apiUrl: setting('apiUrl'),
    mail: new LetterMailer(letterSesClient(), setting('senderEmail'), setting('letterConfigurationSet')),
    allowance: new SendAllowanceStore(...table()),
    accountRate: () => quota.maxSendRate(),
    budgetMs: RUN_BUDGET_SECONDS * 1000,
    now: () => new Date(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
};
