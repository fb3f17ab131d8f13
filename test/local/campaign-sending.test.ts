import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Directory } from '#shared/adapters/directory.ts';
import { SendAllowanceStore } from '#shared/adapters/send-allowance-store.ts';
import { SuppressionStore } from '#shared/adapters/suppression-store.ts';
import { pauseCampaign, resumeCampaign } from '#shared/campaigns/keep-campaigns.ts';
import { sendLetters } from '#shared/campaigns/send-letters.ts';
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

const progressOf = async (world: CampaignWorld, campaignId: string) =>
  (await world.campaignDeps.progress.progress(campaignId, 1)) ?? expect.fail('no progress');

/** Runs the campaign's sending as the state machine does, until it says what it is waiting for or that it ended. */
async function runToEnd(world: CampaignWorld, campaignId: string, deps = world.sendDeps()) {
  for (let run = 0; run < 20; run++) {
    const outcome = await sendLetters(deps, campaignId);
    if (outcome.outcome !== 'more') return outcome;
  }
  throw new Error('the campaign never ended');
}

describe('a letter campaign on DynamoDB Local', () => {
  it('sends each member one letter, and records and counts why the others got none', async () => {
    const world = new CampaignWorld(table);
    const [a, b, noConsent, client, unsubscribed, sameAddress] = await world.prospects([
      aProspect(1001),
      aProspect(1002),
      aProspect(1003, { marketingConsent: { granted: false } }),
      aProspect(1004),
      aProspect(1005),
      // Another company's contact with b's address: one letter per address and step.
      aProspect(1006, {}, 'contact1002@firm1002.example'),
    ]);
    await new Directory(table.documentClient, table.tableName).putClient({
      clientId: 'client-1004',
      inn: client.company.inn,
      name: client.company.name,
      managerId: 'pm-ivanova',
    });
    await new SuppressionStore(table.documentClient, table.tableName).suppress(
      addressHashOf(campaignKeys, unsubscribed.contact.email),
      { reason: 'unsubscribed', at: '2026-11-01T10:00:00.000Z' },
    );
    // a is on both audiences: one letter, and the second meeting counted as a repeat.
    const first = await world.frozenAudience([a, b, noConsent, client, unsubscribed]);
    const second = await world.frozenAudience([a, sameAddress]);
    const campaignId = await world.launched([first, second]);

    expect(await runToEnd(world, campaignId)).toEqual({ outcome: 'completed' });

    expect(world.ses.taken.map((e) => e.to).sort()).toEqual([a.contact.email, b.contact.email].sort());
    const letter = world.ses.taken.find((e) => e.to === a.contact.email) ?? expect.fail('no letter to a');
    expect(letter.subject).toContain('ООО «Фирма 1001»');
    expect(letter.headers?.['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(letter.headers?.['List-Unsubscribe']).toMatch(
      /^<https:\/\/api\.bank\.example\/v1\/unsubscribe\/.+>$/,
    );
    expect(letter.tags).toEqual({ campaign: campaignId, step: '1', send: a.prospectId });
    expect(letter.text).toMatch(/https:\/\/api\.bank\.example\/v1\/letters\/respond\/[\w.-]+/);
    expect(await progressOf(world, campaignId)).toMatchObject({
      total: 7,
      sent: 2,
      failed: 0,
      open: 0,
      deferred: 0,
      passDone: true,
      skipped: {
        no_consent: 1,
        existing_client: 1,
        unsubscribed: 1,
        already_sent_this_campaign: 1,
        repeated_member: 1,
      },
    });
    const records = await world.campaignDeps.progress.records(campaignId, 1, [
      a.prospectId,
      noConsent.prospectId,
    ]);
    expect(records.get(a.prospectId)).toMatchObject({ status: 'sent', offer: { version: 1 } });
    expect(records.get(noConsent.prospectId)).toMatchObject({ status: 'skipped', reason: 'no_consent' });
    expect((await world.campaignDeps.campaigns.get(campaignId))?.status).toBe('completed');
  });

  it('sends nobody a second letter when three runs take the same pages while SES throttles and fails a fifth of the attempts', async () => {
    const world = new CampaignWorld(table);
    const members = await world.prospects(Array.from({ length: 60 }, (_, i) => aProspect(2000 + i)));
    const campaignId = await world.launched([await world.frozenAudience(members)], {
      pauseAfterErrors: 1000,
    });
    world.ses.faults = { share: 0.2, kind: 'throttled' };
    const deps = world.sendDeps();
    await Promise.all([
      sendLetters(deps, campaignId),
      sendLetters(deps, campaignId),
      sendLetters(deps, campaignId),
    ]);
    world.ses.faults = { share: 0.2, kind: 'transient' };
    await runToEnd(world, campaignId, deps);

    for (const p of members) expect(world.ses.lettersTo(p.contact.email)).toBeLessThanOrEqual(1);
    const progress = await progressOf(world, campaignId);
    // Every member is sent or failed with its reason; none is left claimed.
    expect(progress.sent + progress.failed).toBe(60);
    expect(progress.sent).toBe(world.ses.taken.length);
    expect(progress.open).toBe(0);
    expect(progress.throttled).toBeGreaterThan(0);
  });

  it('sends each prospect of two audiences one letter, and records the repeats, while pages overlap and SES throttles', async () => {
    const world = new CampaignWorld(table);
    const all = await world.prospects(Array.from({ length: 79 }, (_, i) => aProspect(8000 + i)));
    // The first audience is one page of 49, claimed a group at a time as the letters before them go (20 a
    // second); the second audience, 30 of whose 60 are on the first, must wait for all of those records.
    const first = await world.frozenAudience(all.slice(0, 49));
    const second = await world.frozenAudience(all.slice(19));
    const campaignId = await world.launched([first, second], { sendRate: 20, pauseAfterErrors: 1000 });
    world.ses.faults = { share: 0.1, kind: 'throttled' };
    expect(await runToEnd(world, campaignId)).toEqual({ outcome: 'completed' });

    for (const p of all) expect(world.ses.lettersTo(p.contact.email)).toBe(1);
    expect(await progressOf(world, campaignId)).toMatchObject({
      total: 109,
      sent: 79,
      open: 0,
      failed: 0,
      skipped: { repeated_member: 30 },
    });
  });

  it('sends no second copy after a crash between SES taking the letter and the record of it', async () => {
    const world = new CampaignWorld(table);
    const members = await world.prospects(Array.from({ length: 12 }, (_, i) => aProspect(3000 + i)));
    const campaignId = await world.launched([await world.frozenAudience(members)]);
    world.ses.afterTaking = (n) => {
      if (n === 5) throw new Error('the function crashed after SES took the letter');
    };
    await expect(sendLetters(world.sendDeps(), campaignId)).rejects.toThrow(/crashed/);
    world.ses.afterTaking = undefined;
    expect(await runToEnd(world, campaignId)).toEqual({ outcome: 'completed' });

    for (const p of members) expect(world.ses.lettersTo(p.contact.email)).toBe(1);
    // The letter SES took before the crash stays claimed until SES's Send event settles it: never resent.
    expect(await progressOf(world, campaignId)).toMatchObject({ sent: 11, open: 1, failed: 0 });
  });

  it('stops within a page of the one paused in, and a resume sends on from what was recorded', async () => {
    const world = new CampaignWorld(table);
    const members = await world.prospects(Array.from({ length: 150 }, (_, i) => aProspect(4000 + i)));
    const campaignId = await world.launched([await world.frozenAudience(members)]);
    world.ses.afterTaking = async (n) => {
      if (n === 10) await pauseCampaign(world.campaignDeps, campaignId, 'anna.campaigns');
    };
    expect(await sendLetters(world.sendDeps(), campaignId)).toEqual({ outcome: 'paused' });
    // Pages overlap: the page after the paused one may be sending when the first ends and the campaign is
    // read again; it then claims nobody more and releases what it claimed unsent. The third never starts.
    const atPause = world.ses.taken.length;
    expect(atPause).toBeLessThanOrEqual(100);
    world.ses.afterTaking = undefined;

    // The paused run's execution is over; a resume is a new run, and an old run has nothing to send.
    const resumed = await resumeCampaign(world.campaignDeps, campaignId);
    expect(resumed.run).toBe(2);
    expect(world.starts).toContain(`${campaignId}-2`);
    expect(await runToEnd(world, campaignId)).toEqual({ outcome: 'completed' });
    for (const p of members) expect(world.ses.lettersTo(p.contact.email)).toBe(1);
    expect((await progressOf(world, campaignId)).sent).toBe(150);
  });

  it('pauses itself once the configured number of letters failed', async () => {
    const world = new CampaignWorld(table);
    const members = await world.prospects(Array.from({ length: 60 }, (_, i) => aProspect(5000 + i)));
    const campaignId = await world.launched([await world.frozenAudience(members)], { pauseAfterErrors: 5 });
    world.ses.faults = { share: 1, kind: 'refused' };
    expect(await runToEnd(world, campaignId)).toEqual({ outcome: 'paused' });
    const campaign = await world.campaignDeps.campaigns.get(campaignId);
    expect(campaign?.pause?.reason).toBe('send_errors');
    expect((await progressOf(world, campaignId)).failed).toBeGreaterThanOrEqual(5);
  });

  it('pauses when SES refuses the account, and sends the refused letter after the resume', async () => {
    const world = new CampaignWorld(table);
    const members = await world.prospects(Array.from({ length: 6 }, (_, i) => aProspect(6000 + i)));
    const campaignId = await world.launched([await world.frozenAudience(members)]);
    world.ses.faults = { share: 1, kind: 'account' };
    expect(await sendLetters(world.sendDeps(), campaignId)).toEqual({ outcome: 'paused' });
    expect((await world.campaignDeps.campaigns.get(campaignId))?.pause?.reason).toBe('ses_refused');
    expect(await progressOf(world, campaignId)).toMatchObject({ sent: 0, open: 0, failed: 0 });

    world.ses.faults = undefined;
    await resumeCampaign(world.campaignDeps, campaignId);
    expect(await runToEnd(world, campaignId)).toEqual({ outcome: 'completed' });
    for (const p of members) expect(world.ses.lettersTo(p.contact.email)).toBe(1);
  });

  it('defers a recipient whose clock is outside the sending window, and sends when it opens', async () => {
    const world = new CampaignWorld(table);
    const [moscow, vladivostok] = await world.prospects([
      aProspect(7001),
      aProspect(7002, { timeZone: 'Asia/Vladivostok' }),
    ]);
    const campaignId = await world.launched([await world.frozenAudience([moscow, vladivostok])], {
      policy: {
        consentRequired: true,
        frequencyCap: { letters: 4, windowDays: 30 },
        sendingWindow: { from: '09:00', until: '20:00' },
      },
    });
    // 10:00 in Moscow is 17:00 in Vladivostok; at 13:30 Moscow time it is 20:30 there, outside the window.
    world.setClock(new Date('2026-12-01T10:30:00.000Z'));
    expect(await runToEnd(world, campaignId)).toEqual({ outcome: 'wait', until: '2026-12-01T23:00:00.000Z' });
    expect(world.ses.taken.map((e) => e.to)).toEqual([moscow.contact.email]);
    expect(await progressOf(world, campaignId)).toMatchObject({ sent: 1, deferred: 1 });

    world.setClock(new Date('2026-12-01T23:00:00.000Z'));
    expect(await runToEnd(world, campaignId)).toEqual({ outcome: 'completed' });
    expect(world.ses.lettersTo(vladivostok.contact.email)).toBe(1);
    expect(await progressOf(world, campaignId)).toMatchObject({ sent: 2, deferred: 0 });
  });

  it("shares the account's rate between campaigns: four takers at once never get more than the bucket holds", async () => {
    const allowance = new SendAllowanceStore(table.documentClient, table.tableName);
    const perSecond = 40;
    const started = Date.now();
    let granted = 0;
    const taker = async () => {
      while (Date.now() - started < 1500) {
        const taken = await allowance.take(10, perSecond);
        granted += taken.granted;
        if (taken.granted === 0) await new Promise((resolve) => setTimeout(resolve, taken.waitMs));
      }
    };
    await Promise.all([taker(), taker(), taker(), taker()]);
    const elapsed = (Date.now() - started) / 1000;
    expect(granted).toBeLessThanOrEqual(perSecond + perSecond * elapsed);
    expect(granted).toBeGreaterThan(0);
  });
});
