import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CampaignNotices } from '../campaigns/ports.ts';
import type { NotificationClaim, SentNotice } from '../leads/ports.ts';
import { claimNotice, noticeSentUpdate } from './notification-store.ts';
import { keys, TableAdapter } from './table.ts';

/**
 * The campaign team's emails about a campaign, beside the campaign (`CAMPAIGN#<id> / NOTIFICATION#<notice>`),
 * claimed and recorded exactly as a lead's notifications are: `sending` under a claim id, then `sent`.
 */
export class CampaignNoticeStore extends TableAdapter implements CampaignNotices {
  claim(campaignId: string, notice: string, at: string): Promise<NotificationClaim> {
    return claimNotice(this.client, this.tableName, keys.campaignNotice(campaignId, notice), at);
  }

  async recordSent(
    campaignId: string,
    notice: string,
    sent: SentNotice,
  ): Promise<'recorded' | 'already_recorded'> {
    try {
      await this.client.send(
        new UpdateCommand(noticeSentUpdate(this.tableName, keys.campaignNotice(campaignId, notice), sent)),
      );
      return 'recorded';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'already_recorded';
      throw error;
    }
  }
}
