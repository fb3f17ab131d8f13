import { describe, expect, it } from 'vitest';
import {
  approvedVersion,
  createOffer,
  decideVersion,
  OfferIntegrityError,
  OfferInvalid,
  saveVersion,
  versionForSending,
} from '#shared/offers/keep-offers.ts';
import { InMemoryOffers } from './support/in-memory-offers.ts';
import { anOfferInput, aRussianLetter, offerDeps } from './support/offers.ts';

const AUTHOR = 'anna.campaigns';
const OFFICER = 'oleg.compliance';

async function anOffer() {
  const offers = new InMemoryOffers();
  const deps = offerDeps(offers);
  const first = await createOffer(deps, AUTHOR, anOfferInput());
  const approve = (by: string, version = 1, hash = first.hash) =>
    decideVersion(deps, by, { offerId: first.offerId, version, hash, outcome: 'approved' });
  return { offers, deps, first, approve };
}

describe('approving an offer', () => {
  it('is refused to the author of the version, even when another wrote the offer', async () => {
    const { deps, first, approve } = await anOffer();
    expect(await approve(AUTHOR)).toEqual({ refused: 'own_version' });
    const second = await saveVersion(deps, first.offerId, OFFICER, {
      basedOn: 1,
      content: { ru: aRussianLetter(' Правка.') },
    });
    expect(await approve(OFFICER, 2, second.hash)).toEqual({ refused: 'own_version' });
    expect(await approve(AUTHOR, 2, second.hash)).toMatchObject({
      decided: { outcome: 'approved', by: AUTHOR },
    });
  });

  it('binds the hash the officer read: another hash is refused, the pointer and the audit keep the one approved', async () => {
    const { offers, deps, first, approve } = await anOffer();
    expect(await approve(OFFICER, 1, 'f'.repeat(64))).toEqual({ refused: 'hash_mismatch' });
    await approve(OFFICER);
    expect((await deps.offers.get(first.offerId))?.approved).toMatchObject({ version: 1, hash: first.hash });
    expect((await approvedVersion(deps, first.offerId))?.content).toEqual(first.content);
    expect([...(offers.trail.get(first.offerId) ?? [])].pop()).toMatchObject({
      action: 'approved',
      by: OFFICER,
      version: 1,
      hash: first.hash,
    });
    // The send asks for the version and hash it launched with: any other hash gets nothing to send.
    expect(await versionForSending(deps, first.offerId, 1, 'f'.repeat(64))).toBeUndefined();
  });

  it('a new version resets: nothing is approved until it is, and its approval is its own', async () => {
    const { deps, first, approve } = await anOffer();
    await approve(OFFICER);
    const second = await saveVersion(deps, first.offerId, AUTHOR, {
      basedOn: 1,
      content: { ru: aRussianLetter(' Правка.') },
    });
    expect(second.decision).toBeUndefined();
    expect(await approvedVersion(deps, first.offerId)).toBeUndefined();
    expect(await approve(OFFICER, 1)).toEqual({ refused: 'already_decided' });
    expect(await approve(OFFICER, 2, first.hash)).toEqual({ refused: 'hash_mismatch' });
    await approve(OFFICER, 2, second.hash);
    expect((await approvedVersion(deps, first.offerId))?.version).toBe(2);
  });

  it('a rejection needs its reason, is audited with it, and leaves nothing approved', async () => {
    const { offers, deps, first } = await anOffer();
    const reject = (reason: string) =>
      decideVersion(deps, OFFICER, {
        offerId: first.offerId,
        version: 1,
        hash: first.hash,
        outcome: 'rejected',
        reason,
      });
    await expect(reject('  ')).rejects.toThrow(OfferInvalid);
    expect(await reject('Нет ссылки на лицензию')).toMatchObject({ decided: { outcome: 'rejected' } });
    expect(await approvedVersion(deps, first.offerId)).toBeUndefined();
    expect([...(offers.trail.get(first.offerId) ?? [])].pop()).toMatchObject({
      action: 'rejected',
      reason: 'Нет ссылки на лицензию',
    });
  });

  it('refuses invalid content before anything is stored, and never sends content altered in storage', async () => {
    const { offers, deps, first, approve } = await anOffer();
    await expect(
      saveVersion(deps, first.offerId, AUTHOR, { basedOn: 1, content: { ru: aRussianLetter('{discount}') } }),
    ).rejects.toThrow(OfferInvalid);
    expect((await deps.offers.get(first.offerId))?.latestVersion).toBe(1);
    await approve(OFFICER);
    const stored = offers.versions.get(`${first.offerId}#1`);
    if (stored) stored.content.ru.text = 'Подменённый текст';
    await expect(approvedVersion(deps, first.offerId)).rejects.toThrow(OfferIntegrityError);
  });
});
