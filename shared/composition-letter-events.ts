import type { Keys } from './access/keys.ts';
import { CampaignProgressStore, LetterOutcomeStore } from './adapters/campaign-progress-store.ts';
import { CampaignStore } from './adapters/campaign-store.ts';
import { SuppressionStore } from './adapters/suppression-store.ts';
import { guardDeliverability } from './campaigns/deliverability.ts';
import { documentClient } from './clients/dynamodb.ts';
import type { LetterEventDeps } from './letters/letter-events.ts';
import { addressHashOf } from './letters/unsubscribe.ts';
import { setting } from './runtime.ts';

/**
 * SES's events about letters: the suppression list in the table, addresses hashed with the bank's keys;
 * the campaigns' records and counters, and their deliverability guard.
 */
export const letterEventDeps = (keys: Keys): LetterEventDeps => {
  const table = [documentClient(), setting('tableName')] as const;
  const guard = {
    campaigns: new CampaignStore(...table),
    progress: new CampaignProgressStore(...table),
    now: () => new Date(),
  };
  return {
    suppressions: new SuppressionStore(...table),
    addressHash: (address) => addressHashOf(keys, address),
    sends: new LetterOutcomeStore(...table),
    guard: async (campaignId) => {
      const campaign = await guard.campaigns.get(campaignId);
      return campaign && guardDeliverability(guard, campaign);
    },
  };
};
