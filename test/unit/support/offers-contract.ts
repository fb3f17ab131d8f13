import { describe, expect, it } from 'vitest';
import {
  approvedVersion,
  createOffer,
  decideVersion,
  OfferNotFound,
  saveVersion,
  VersionConflict,
  versionForSending,
} from '#shared/offers/keep-offers.ts';
import { contentHash } from '#shared/offers/offer.ts';
import type { Offers } from '#shared/offers/ports.ts';
import { anOfferInput, aRussianLetter, offerDeps } from './offers.ts';

const AUTHOR = 'anna.campaigns';
const OFFICER = 'oleg.compliance';
const officers = Array.from({ length: 20 }, (_, i) => `officer-${i}`);

/** The contract of the offers' port, kept by the in-memory store and by the DynamoDB adapter. */
export function offersContract(name: string, setup: () => Offers) {
  describe(`the offers' contract: ${name}`, () => {
    const created = async () => {
      const deps = offerDeps(setup());
      return { deps, first: await createOffer(deps, AUTHOR, anOfferInput()) };
    };

    it('stores a new offer with version 1 awaiting approval, audited as created', async () => {
      const { deps, first } = await created();
      expect(first).toMatchObject({ version: 1, author: AUTHOR, hash: contentHash(first.content) });
      expect(await deps.offers.get(first.offerId)).toEqual({
        offerId: first.offerId,
        name: 'Расчётное обслуживание 2026',
        author: AUTHOR,
        createdAt: first.savedAt,
        latestVersion: 1,
      });
      expect(await deps.offers.version(first.offerId, 1)).toEqual(first);
      const { entries } = await deps.offers.audit(first.offerId, { limit: 10 });
      expect(entries.map((e) => [e.action, e.by, e.version, e.hash])).toEqual([
        ['created', AUTHOR, 1, first.hash],
      ]);
      expect(await approvedVersion(deps, first.offerId)).toBeUndefined();
    });

    it('numbers an edit after the latest version, refuses an edit of an older one and an unknown offer', async () => {
      const { deps, first } = await created();
      const content = { ru: aRussianLetter(' Второй вариант.') };
      const second = await saveVersion(deps, first.offerId, 'maria.campaigns', { basedOn: 1, content });
      expect(second).toMatchObject({ version: 2, author: 'maria.campaigns', hash: contentHash(content) });
      await expect(saveVersion(deps, first.offerId, AUTHOR, { basedOn: 1, content })).rejects.toThrow(
        VersionConflict,
      );
      await expect(saveVersion(deps, 'no-such-offer', AUTHOR, { basedOn: 1, content })).rejects.toThrow(
        OfferNotFound,
      );
      // Version 1 is as it was saved, and a second write of version 2 changes nothing.
      expect(await deps.offers.version(first.offerId, 1)).toEqual(first);
      expect(
        await deps.offers.saveVersion({ ...second, author: 'x' }, { ...auditOf(second), auditId: 'y' }),
      ).toBe('stale');
      expect(await deps.offers.version(first.offerId, 2)).toEqual(second);
    });

    it('of 20 concurrent saves of the same version number exactly one is stored', async () => {
      const { deps, first } = await created();
      const results = await Promise.allSettled(
        officers.map((_, i) =>
          saveVersion(deps, first.offerId, AUTHOR, {
            basedOn: 1,
            content: { ru: aRussianLetter(` Вариант ${i}.`) },
          }),
        ),
      );
      const saved = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      expect(saved).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(VersionConflict);
      expect(await deps.offers.version(first.offerId, 2)).toEqual(saved[0]);
      expect((await deps.offers.get(first.offerId))?.latestVersion).toBe(2);
      const { entries } = await deps.offers.audit(first.offerId, { limit: 50 });
      expect(entries.filter((e) => e.action === 'version_saved').map((e) => e.version)).toEqual([2]);
    });

    it('of 20 concurrent approvals of the same version exactly one is recorded', async () => {
      const { deps, first } = await created();
      const request = { offerId: first.offerId, version: 1, hash: first.hash, outcome: 'approved' } as const;
      const results = await Promise.all(officers.map((officer) => decideVersion(deps, officer, request)));
      const decided = results.flatMap((r) => ('decided' in r ? [r.decided] : []));
      expect(decided).toHaveLength(1);
      expect(results.filter((r) => 'refused' in r && r.refused === 'already_decided')).toHaveLength(19);
      const winner = decided[0]?.by;
      expect((await deps.offers.get(first.offerId))?.approved).toEqual({
        version: 1,
        hash: first.hash,
        by: winner,
        at: decided[0]?.at,
      });
      expect((await deps.offers.version(first.offerId, 1))?.decision).toEqual(decided[0]);
      const { entries } = await deps.offers.audit(first.offerId, { limit: 50 });
      expect(entries.filter((e) => e.action === 'approved').map((e) => [e.by, e.version, e.hash])).toEqual([
        [winner, 1, first.hash],
      ]);
      expect(await approvedVersion(deps, first.offerId)).toEqual({ ...first, decision: decided[0] });
    });

    it('refuses the author, another hash, an unknown version, a decided one and a superseded one', async () => {
      const { deps, first } = await created();
      const approve = (by: string, extra: Partial<{ version: number; hash: string }> = {}) =>
        decideVersion(deps, by, {
          offerId: first.offerId,
          version: 1,
          hash: first.hash,
          outcome: 'approved',
          ...extra,
        });
      expect(await approve(AUTHOR)).toEqual({ refused: 'own_version' });
      expect(await approve(OFFICER, { hash: contentHash({ ru: aRussianLetter('!') }) })).toEqual({
        refused: 'hash_mismatch',
      });
      expect(await approve(OFFICER, { version: 7 })).toEqual({ refused: 'not_found' });
      expect(
        await decideVersion(deps, OFFICER, {
          offerId: first.offerId,
          version: 1,
          hash: first.hash,
          outcome: 'rejected',
          reason: 'Нет ссылки на лицензию банка',
        }),
      ).toMatchObject({ decided: { outcome: 'rejected', reason: 'Нет ссылки на лицензию банка' } });
      expect(await approve('another.officer')).toEqual({ refused: 'already_decided' });
      expect((await deps.offers.get(first.offerId))?.approved).toBeUndefined();

      const second = await saveVersion(deps, first.offerId, AUTHOR, {
        basedOn: 1,
        content: { ru: aRussianLetter(' Лицензия ЦБ РФ № 0000.') },
      });
      const third = await saveVersion(deps, first.offerId, AUTHOR, {
        basedOn: 2,
        content: { ru: aRussianLetter(' Лицензия ЦБ РФ № 0001.') },
      });
      expect(await approve(OFFICER, { version: 2, hash: second.hash })).toEqual({ refused: 'superseded' });
      expect(await approve(OFFICER, { version: 3, hash: third.hash })).toMatchObject({ decided: {} });
      const { entries } = await deps.offers.audit(first.offerId, { limit: 50 });
      expect(entries.map((e) => `${e.action}:${e.version}`)).toEqual([
        'created:1',
        'rejected:1',
        'version_saved:2',
        'version_saved:3',
        'approved:3',
      ]);
      expect(entries.find((e) => e.action === 'rejected')?.reason).toBe('Нет ссылки на лицензию банка');
    });

    it('a new version takes the approval away; a launched campaign still gets the version it was approved as', async () => {
      const { deps, first } = await created();
      await decideVersion(deps, OFFICER, {
        offerId: first.offerId,
        version: 1,
        hash: first.hash,
        outcome: 'approved',
      });
      expect((await approvedVersion(deps, first.offerId))?.hash).toBe(first.hash);
      const second = await saveVersion(deps, first.offerId, AUTHOR, {
        basedOn: 1,
        content: { ru: aRussianLetter(' Новое.') },
      });
      expect(await approvedVersion(deps, first.offerId)).toBeUndefined();
      expect((await versionForSending(deps, first.offerId, 1, first.hash))?.content).toEqual(first.content);
      expect(await versionForSending(deps, first.offerId, 1, second.hash)).toBeUndefined();
      expect(await versionForSending(deps, first.offerId, 2, second.hash)).toBeUndefined();
      await decideVersion(deps, OFFICER, {
        offerId: first.offerId,
        version: 2,
        hash: second.hash,
        outcome: 'approved',
      });
      expect((await approvedVersion(deps, first.offerId))?.version).toBe(2);
    });

    it('an approval racing an edit leaves the edit unapproved, whichever comes first', async () => {
      const { deps, first } = await created();
      await Promise.all([
        decideVersion(deps, OFFICER, {
          offerId: first.offerId,
          version: 1,
          hash: first.hash,
          outcome: 'approved',
        }),
        saveVersion(deps, first.offerId, AUTHOR, { basedOn: 1, content: { ru: aRussianLetter(' Правка.') } }),
      ]);
      expect(await deps.offers.get(first.offerId)).toMatchObject({ latestVersion: 2 });
      expect((await deps.offers.get(first.offerId))?.approved).toBeUndefined();
    });

    it('reads the audit trail oldest first, a page at a time', async () => {
      const { deps, first } = await created();
      await saveVersion(deps, first.offerId, AUTHOR, { basedOn: 1, content: { ru: aRussianLetter(' 2') } });
      await saveVersion(deps, first.offerId, AUTHOR, { basedOn: 2, content: { ru: aRussianLetter(' 3') } });
      const page1 = await deps.offers.audit(first.offerId, { limit: 2 });
      expect(page1.entries.map((e) => [e.action, e.version])).toEqual([
        ['created', 1],
        ['version_saved', 2],
      ]);
      expect(page1.next).toBeDefined();
      const page2 = await deps.offers.audit(first.offerId, {
        limit: 2,
        ...(page1.next ? { after: page1.next } : {}),
      });
      expect(page2.entries.map((e) => [e.action, e.version])).toEqual([['version_saved', 3]]);
      expect(page2.next).toBeUndefined();
    });
  });
}

const auditOf = (version: {
  offerId: string;
  version: number;
  hash: string;
  savedAt: string;
  author: string;
}) => ({
  auditId: 'audit-of-a-repeat',
  offerId: version.offerId,
  at: version.savedAt,
  by: version.author,
  action: 'version_saved' as const,
  version: version.version,
  hash: version.hash,
});
