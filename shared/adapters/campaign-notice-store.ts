import type { CampaignNotices } from '../campaigns/ports.ts';
import type { NotificationClaim, SentNotice } from '../leads/ports.ts';
import { noticeClaimAt } from './notification-store.ts';
import { keys, TableAdapter } from './table.ts';

/**
 * The campaign team's emails about a campaign, beside the campaign (`CAMPAIGN#<id> / NOTIFICATION#<notice>`),
 * claimed and recorded exactly as a lead's notifications are: `sending` under a claim id, then `sent`.
 */
export class CampaignNoticeStore extends TableAdapter implements CampaignNotices {
  private at(campaignId: string, notice: string) {
    return noticeClaimAt(this.client, this.tableName, keys.campaignNotice(campaignId, notice));
  }

  claim(campaignId: string, notice: string, at: string): Promise<NotificationClaim> {
    return this.at(campaignId, notice).claim(at);
  }

  recordSent(campaignId: string, notice: string, sent: SentNotice): Promise<'recorded' | 'already_recorded'> {
    return this.at(campaignId, notice).recordSent(sent);
  }
}
