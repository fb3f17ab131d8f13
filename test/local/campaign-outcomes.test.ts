import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SesEvent } from '#events/ses-events.ts';
import { LetterOutcomeStore } from '#shared/adapters/campaign-progress-store.ts';
import { CampaignStore } from '#shared/adapters/campaign-store.ts';
import { SuppressionStore } from '#shared/adapters/suppression-store.ts';
import { guardDeliverability } from '#shared/campaigns/deliverability.ts';
import { sendLetters } from '#shared/campaigns/send-letters.ts';
import { type LetterEventDeps, recordLetterEvent } from '#shared/letters/letter-events.ts';
import { addressHashOf } from '#shared/letters/unsubscribe.ts';
import { startAttractTable } from './support/attract-table.ts';
import { aProspect, CampaignWorld, campaignKeys } from './support/campaign-world.ts';

let table: Awaited<ReturnType<typeof startAttractTable>>;
beforeAll(async () => {
  table = await startAttractTable();
});
afterAll(async () => {
  await table?.stop();
});

/** SES's event of this type about the letter to `prospectId` of the campaign's first step. */
function sesEvent(
  type: 'Send' | 'Delivery' | 'Bounce' | 'Complaint',
  campaignId: string,
  prospectId: string,
  to: string,
) {
  const { detail } = SesEvent.parse(
    JSON.parse(readFileSync(new URL(`../../events/samples/ses/${type}.json`, import.meta.url), 'utf8')),
  );
  const tags = { ...detail.mail.tags, campaign: [campaignId], step: ['1'], send: [prospectId] };
  const base = {
    ...detail,
    mail: { ...detail.mail, messageId: `message-of-${prospectId}`, destination: [to], tags },
  };
  if (base.eventType === 'Bounce')
    return { ...base, bounce: { ...base.bounce, bouncedRecipients: [{ emailAddress: to }] } };
  if (base.eventType === 'Complaint')
    return { ...base, complaint: { ...base.complaint, complainedRecipients: [{ emailAddress: to }] } };
  return base;
}

function eventDeps(world: CampaignWorld): LetterEventDeps {
  const guard = world.campaignDeps;
  return {
    suppressions: new SuppressionStore(table.documentClient, table.tableName),
    addressHash: (address) => addressHashOf(campaignKeys, address),
    sends: new LetterOutcomeStore(table.documentClient, table.tableName),
    guard: async (campaignId) => {
      const campaign = await new CampaignStore(table.documentClient, table.tableName).get(campaignId);
      return campaign && guardDeliverability(guard, campaign);
    },
  };
}

const progressOf = async (world: CampaignWorld, campaignId: string) =>
  (await world.campaignDeps.progress.progress(campaignId, 1)) ?? expect.fail('no progress');

describe("SES's events on a campaign's letters, on DynamoDB Local", () => {
  it('settles a claim left open by a crash with the Send event, and counts a delivery once however often it comes', async () => {
    const world = new CampaignWorld(table);
    const members = await world.prospects(Array.from({ length: 6 }, (_, i) => aProspect(8000 + i)));
    const campaignId = await world.launched([await world.frozenAudience(members)]);
    world.ses.afterTaking = (n) => {
      if (n === 3) throw new Error('the function crashed after SES took the letter');
    };
    await expect(sendLetters(world.sendDeps(), campaignId)).rejects.toThrow(/crashed/);
    world.ses.afterTaking = undefined;
    await sendLetters(world.sendDeps(), campaignId);
    expect(await progressOf(world, campaignId)).toMatchObject({ sent: 5, open: 1 });

    const crashed = world.ses.taken[2];
    const prospect = members.find((p) => p.contact.email === crashed?.to) ?? expect.fail('no crashed letter');
    const deps = eventDeps(world);
    for (let i = 0; i < 2; i++) {
      await recordLetterEvent(
        deps,
        sesEvent('Send', campaignId, prospect.prospectId, prospect.contact.email),
      );
      await recordLetterEvent(
        deps,
        sesEvent('Delivery', campaignId, prospect.prospectId, prospect.contact.email),
      );
    }
    expect(await progressOf(world, campaignId)).toMatchObject({ sent: 6, open: 0, delivered: 1 });
    const records = await world.campaignDeps.progress.records(campaignId, 1, [prospect.prospectId]);
    expect(records.get(prospect.prospectId)).toMatchObject({
      status: 'sent',
      messageId: `message-of-${prospect.prospectId}`,
    });
  });

  it('pauses a running campaign once hard bounces reach the guard after its minimum sample, with the reason', async () => {
    const world = new CampaignWorld(table);
    const members = await world.prospects(Array.from({ length: 20 }, (_, i) => aProspect(8100 + i)));
    const campaignId = await world.launched([await world.frozenAudience(members)], {
      deliverability: { minSample: 20, bounceRate: 0.04, complaintRate: 0.0008 },
    });
    await sendLetters(world.sendDeps(), campaignId);
    // Completed; so that the guard has a running campaign to stop, the sending is reopened as a resume would.
    await world.campaignDeps.campaigns.transition(
      campaignId,
      { from: ['completed'], set: { status: 'running' } },
      new Date().toISOString(),
    );
    const deps = eventDeps(world);
    const [first, second] = members;
    for (const p of [first, first]) {
      if (!p) continue;
      await recordLetterEvent(deps, sesEvent('Bounce', campaignId, p.prospectId, p.contact.email));
    }
    // One hard bounce in 20 letters is 5%: at or over 4%, so the campaign pauses; the repeat counted once.
    expect(await progressOf(world, campaignId)).toMatchObject({ sent: 20, bounced: 1 });
    const paused = await world.campaignDeps.campaigns.get(campaignId);
    expect(paused).toMatchObject({ status: 'paused', pause: { reason: 'bounces' } });
    const suppressed = await new SuppressionStore(table.documentClient, table.tableName).find([
      addressHashOf(campaignKeys, first?.contact.email ?? ''),
    ]);
    expect(suppressed.size).toBe(1);
    if (second)
      await recordLetterEvent(
        deps,
        sesEvent('Complaint', campaignId, second.prospectId, second.contact.email),
      );
    expect(await progressOf(world, campaignId)).toMatchObject({ complained: 1 });
  });
});
