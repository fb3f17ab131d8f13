import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CampaignNoticeStore } from '#shared/adapters/campaign-notice-store.ts';
import { CampaignProgressStore } from '#shared/adapters/campaign-progress-store.ts';
import { CampaignResponseStore } from '#shared/adapters/campaign-response-store.ts';
import { CampaignStore } from '#shared/adapters/campaign-store.ts';
import { keys } from '#shared/adapters/table.ts';
import { cancelCampaign, pauseCampaign, resumeCampaign } from '#shared/campaigns/keep-campaigns.ts';
import {
  type CampaignTeamDeps,
  campaignTeamNotice,
  notifyCampaignTeam,
} from '#shared/campaigns/notify-campaign-team.ts';
import { pauseFailedRun, sendLetters } from '#shared/campaigns/send-letters.ts';
import { InMemoryMail } from '../unit/support/in-memory.ts';
import { startAttractTable } from './support/attract-table.ts';
import { aProspect, CampaignWorld } from './support/campaign-world.ts';

let table: Awaited<ReturnType<typeof startAttractTable>>;
beforeAll(async () => {
  table = await startAttractTable();
});
afterAll(async () => {
  await table?.stop();
});

/** The notifier on DynamoDB Local; SES is a recording double (the e2e tests send through the local SES). */
function teamNotifier(world: CampaignWorld) {
  const mail = new InMemoryMail();
  const store = <T>(Adapter: new (client: typeof table.documentClient, tableName: string) => T) =>
    new Adapter(table.documentClient, table.tableName);
  const deps: CampaignTeamDeps = {
    campaigns: store(CampaignStore),
    progress: store(CampaignProgressStore),
    responses: store(CampaignResponseStore),
    notices: store(CampaignNoticeStore),
    mail,
    now: world.now,
    campaignTeam: { address: 'campaigns@bank.example', language: 'ru' },
    apiUrl: 'https://api.bank.example',
  };
  return { mail, deps };
}

async function campaignOf(world: CampaignWorld, first: number) {
  const members = await world.prospects([aProspect(first), aProspect(first + 1)]);
  return world.launched([await world.frozenAudience(members)]);
}

describe('the campaign team told how a run ended, on DynamoDB Local', () => {
  it('sends the closing summary of a completed campaign once, however often the task is retried', async () => {
    const world = new CampaignWorld(table);
    const { mail, deps } = teamNotifier(world);
    const campaignId = await campaignOf(world, 4001);
    expect(await sendLetters(world.sendDeps(), campaignId)).toEqual({ outcome: 'completed' });

    const ended = { campaignId, execution: `${campaignId}-1` };
    expect(await notifyCampaignTeam(deps, ended)).toMatchObject({ kind: 'sent', attempt: 1 });
    const again = await Promise.all([notifyCampaignTeam(deps, ended), notifyCampaignTeam(deps, ended)]);
    expect(again.map((o) => o.kind)).toEqual(['already_sent', 'already_sent']);
    expect(mail.sent).toHaveLength(1);
    expect(mail.sent[0]?.to).toBe('campaigns@bank.example');
    expect(mail.sent[0]?.subject).toBe('Кампания завершена: Расчётный счёт для производства');
    expect(mail.sent[0]?.text).toContain('Отправлено: 2 из 2');
    const { Item } = await table.documentClient.send(
      new GetCommand({
        TableName: table.tableName,
        Key: keys.campaignNotice(campaignId, campaignTeamNotice(1, 'completed')),
      }),
    );
    expect(Item).toMatchObject({ status: 'sent', messageId: mail.sent[0]?.messageId, attempts: 1 });
  });

  it("tells a guard's pause once per run, and nothing for a resumed campaign's old run, a person's pause or a cancel", async () => {
    const world = new CampaignWorld(table);
    const { mail, deps } = teamNotifier(world);
    const campaignId = await campaignOf(world, 4011);
    // A run that failed after its retries: the campaign pauses (run_failed) and the team is told.
    await pauseFailedRun(world.sendDeps(), campaignId);
    const run1 = { campaignId, execution: `${campaignId}-1` };
    expect(await notifyCampaignTeam(deps, run1)).toMatchObject({ kind: 'sent' });
    expect(mail.sent[0]?.subject).toBe('Кампания приостановлена: Расчётный счёт для производства');
    expect(mail.sent[0]?.text).toContain('сбой отправки');
    expect(mail.sent[0]?.text).toContain(`POST https://api.bank.example/v1/campaigns/${campaignId}/resume`);

    // Resumed: run 2 sends; run 1's task, late or retried, finds the campaign moved on.
    await resumeCampaign(world.campaignDeps, campaignId);
    expect(await notifyCampaignTeam(deps, run1)).toEqual({ kind: 'moved_on', status: 'running', run: 2 });
    // Paused by a campaign manager in run 2: they know.
    await pauseCampaign(world.campaignDeps, campaignId, 'anna.campaigns');
    const run2 = { campaignId, execution: `${campaignId}-2` };
    expect(await notifyCampaignTeam(deps, run2)).toEqual({ kind: 'paused_by_manager' });
    await cancelCampaign(world.campaignDeps, campaignId);
    expect(await notifyCampaignTeam(deps, run2)).toEqual({ kind: 'cancelled' });
    expect(mail.sent).toHaveLength(1);
  });

  it("refuses an execution that is not one of the campaign's runs", async () => {
    const world = new CampaignWorld(table);
    const { deps } = teamNotifier(world);
    const campaignId = await campaignOf(world, 4021);
    await expect(notifyCampaignTeam(deps, { campaignId, execution: 'someone-else-1' })).rejects.toThrow(
      /is not a run of campaign/,
    );
  });
});
