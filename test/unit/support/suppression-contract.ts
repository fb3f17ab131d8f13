import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CountedLetters, SendClaim, SendCounter, SuppressionList } from '#shared/letters/ports.ts';

export type SuppressionUnderTest = SuppressionList & SendCounter;

const T0 = '2026-12-01T10:00:00.000Z';
const at = (days: number) => new Date(Date.parse(T0) + days * 86_400_000).toISOString();
export const anAddressHash = () => randomBytes(32).toString('hex');

const aClaim = (addressHash: string, overrides: Partial<SendClaim> = {}): SendClaim => ({
  addressHash,
  sendKey: `campaign-${randomBytes(4).toString('hex')}#1`,
  prospectId: randomBytes(16).toString('hex'),
  at: T0,
  cap: 2,
  windowDays: 30,
  ...overrides,
});

/** The contract of the suppression list and the send counter, kept in memory and by the DynamoDB adapter. */
export function suppressionContract(name: string, setup: () => SuppressionUnderTest) {
  describe(`the suppression ports' contract: ${name}`, () => {
    it('keeps the first mark and the latest by time; a repeated or older mark changes nothing', async () => {
      const store = setup();
      const hash = anAddressHash();
      const unsubscribed = { reason: 'unsubscribed' as const, at: at(0), source: 'campaign-1#1' };
      const complained = { reason: 'complained' as const, at: at(2), source: 'ses:event-2' };
      await store.suppress(hash, unsubscribed);
      await store.suppress(hash, unsubscribed);
      await store.suppress(hash, complained);
      await store.suppress(hash, { reason: 'hard_bounced', at: at(1) });
      await store.suppress(hash, complained);
      expect((await store.find([hash])).get(hash)).toEqual({
        addressHash: hash,
        first: unsubscribed,
        latest: complained,
      });
    });

    it('finds the listed addresses among many (more than one batch, repeats), and only those', async () => {
      const store = setup();
      const hashes = Array.from({ length: 230 }, anAddressHash);
      const listed = hashes.filter((_, i) => i % 7 === 3);
      await Promise.all(listed.map((h) => store.suppress(h, { reason: 'hard_bounced', at: T0 })));
      const found = await store.find([...hashes, ...listed]);
      expect([...found.keys()].sort()).toEqual([...listed].sort());
      expect(await store.find([])).toEqual(new Map());
    });

    it('counts letters up to the cap in a rolling window and says when a place frees', async () => {
      const store = setup();
      const hash = anAddressHash();
      const old = await store.claim(aClaim(hash, { at: at(-31) }));
      expect(old).toEqual({ claimed: true });
      expect(await store.claim(aClaim(hash, { at: at(-10) }))).toEqual({ claimed: true });
      expect(await store.claim(aClaim(hash))).toEqual({ claimed: true });
      // The letter of 31 days ago is out of the window; the two since are the cap.
      expect(await store.claim(aClaim(hash, { at: at(1) }))).toEqual({
        claimed: false,
        reason: 'frequency_cap',
        until: at(20),
      });
      expect((await store.sends(hash, at(-30))).map((s) => s.at)).toEqual([at(-10), T0]);
    });

    it('a redelivered claim is the same letter; another prospect with the address on the step gets none', async () => {
      const store = setup();
      const hash = anAddressHash();
      const first = aClaim(hash);
      expect(await store.claim(first)).toEqual({ claimed: true });
      expect(await store.claim({ ...first, at: at(0.01) })).toEqual({ claimed: true });
      expect(await store.claim({ ...first, prospectId: 'another-prospect' })).toEqual({
        claimed: false,
        reason: 'already_sent_this_campaign',
      });
      expect(await store.sends(hash, at(-30))).toHaveLength(1);
    });

    it('with a cap of 2, exactly 2 of 10 concurrent claims for one address win', async () => {
      const store = setup();
      const hash = anAddressHash();
      const results = await Promise.all(Array.from({ length: 10 }, () => store.claim(aClaim(hash))));
      expect(results.filter((r) => r.claimed)).toHaveLength(2);
      expect(results.filter((r) => !r.claimed && r.reason === 'frequency_cap')).toHaveLength(8);
      expect(await store.sends(hash, at(-30))).toHaveLength(2);
    });

    it("reads many addresses' counts at once, every one asked, and a claim decides on that read", async () => {
      const store = setup();
      const [counted, never] = [anAddressHash(), anAddressHash()];
      const first = aClaim(counted, { at: at(-1) });
      await store.claim(first);
      const counts = await store.counts([counted, never, counted]);
      expect([...counts.keys()].sort()).toEqual([counted, never].sort());
      expect(counts.get(never)).toEqual({ sends: [], version: 0 });
      expect(counts.get(counted)?.sends).toEqual([
        { sendKey: first.sendKey, prospectId: first.prospectId, at: at(-1) },
      ]);
      expect(await store.claim(aClaim(counted), counts.get(counted))).toEqual({ claimed: true });
      expect(await store.claim(aClaim(never), counts.get(never))).toEqual({ claimed: true });
      expect(await store.sends(counted, at(-30))).toHaveLength(2);
      expect(await store.counts([])).toEqual(new Map());
    });

    it('a claim on a read the count has moved past reads again: the cap and the step stay exact', async () => {
      const store = setup();
      const hash = anAddressHash();
      const read = (await store.counts([hash])).get(hash);
      const sendKey = 'campaign-stale-read#1';
      expect(await store.claim(aClaim(hash, { sendKey }), read)).toEqual({ claimed: true });
      // The same empty read again: another prospect on the step finds the letter counted since.
      expect(await store.claim(aClaim(hash, { sendKey }), read)).toEqual({
        claimed: false,
        reason: 'already_sent_this_campaign',
      });
      expect(await store.claim(aClaim(hash), read)).toEqual({ claimed: true });
      expect(await store.claim(aClaim(hash), read)).toMatchObject({
        claimed: false,
        reason: 'frequency_cap',
      });
      expect(await store.sends(hash, at(-30))).toHaveLength(2);
    });

    it('with a cap of 2, exactly 2 of 10 concurrent claims on one read of the address win', async () => {
      const store = setup();
      const hash = anAddressHash();
      const read = (await store.counts([hash])).get(hash);
      const results = await Promise.all(Array.from({ length: 10 }, () => store.claim(aClaim(hash), read)));
      expect(results.filter((r) => r.claimed)).toHaveLength(2);
      expect(results.filter((r) => !r.claimed && r.reason === 'frequency_cap')).toHaveLength(8);
      expect(await store.sends(hash, at(-30))).toHaveLength(2);
    });

    it("claims a page's addresses at once on their reads, each as a claim alone would answer", async () => {
      const store = setup();
      const hashes = Array.from({ length: 30 }, anAddressHash);
      const [capped, moved, sentOnStep] = hashes as [string, string, string];
      const sendKey = 'campaign-page#1';
      await store.claim(aClaim(capped, { at: at(-2) }));
      await store.claim(aClaim(capped, { at: at(-1) }));
      const counts = await store.counts(hashes);
      // After the page's read: another prospect on the step takes one address, a letter another.
      await store.claim(aClaim(sentOnStep, { sendKey }));
      await store.claim(aClaim(moved, { at: at(-1) }));
      const claims = hashes.map((hash) => ({
        claim: aClaim(hash, { sendKey }),
        read: counts.get(hash) as CountedLetters,
      }));
      const results = await store.claimAll(claims);
      expect(results.slice(0, 3)).toEqual([
        { claimed: false, reason: 'frequency_cap', until: at(28) },
        { claimed: true },
        { claimed: false, reason: 'already_sent_this_campaign' },
      ]);
      expect(results.slice(3)).toEqual(hashes.slice(3).map(() => ({ claimed: true })));
      expect(await store.sends(moved, at(-30))).toHaveLength(2);
      // Claimed again (a redelivered page, on a read from before): the same letters, nothing more.
      expect(await store.claimAll(claims.slice(3))).toEqual(hashes.slice(3).map(() => ({ claimed: true })));
      expect((await store.counts(hashes.slice(3))).get(hashes[3] as string)?.sends).toHaveLength(1);
      expect(await store.claimAll([])).toEqual([]);
      await expect(store.claimAll([claims[5], claims[5]] as typeof claims)).rejects.toThrow();
    });

    it('of two pages claiming the same addresses at once on one read, one letter each, cap 1', async () => {
      const store = setup();
      const hashes = Array.from({ length: 12 }, anAddressHash);
      const counts = await store.counts(hashes);
      const page = () =>
        hashes.map((hash) => ({ claim: aClaim(hash, { cap: 1 }), read: counts.get(hash) as CountedLetters }));
      const [one, two] = await Promise.all([store.claimAll(page()), store.claimAll(page())]);
      for (const [i, hash] of hashes.entries()) {
        expect([one?.[i]?.claimed, two?.[i]?.claimed].filter(Boolean)).toHaveLength(1);
        expect(await store.sends(hash, at(-30))).toHaveLength(1);
      }
    });

    it('of 10 concurrent claims of one step for one address by different prospects, exactly one wins', async () => {
      const store = setup();
      const hash = anAddressHash();
      const sendKey = 'campaign-two-audiences#1';
      const results = await Promise.all(
        Array.from({ length: 10 }, () => store.claim(aClaim(hash, { sendKey, cap: 5 }))),
      );
      expect(results.filter((r) => r.claimed)).toHaveLength(1);
      expect(results.filter((r) => !r.claimed && r.reason === 'already_sent_this_campaign')).toHaveLength(9);
    });
  });
}
