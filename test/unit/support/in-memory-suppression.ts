import type {
  ClaimResult,
  CountedLetters,
  CountedSend,
  SendClaim,
  SendCounter,
  Suppression,
  SuppressionList,
  SuppressionMark,
} from '#shared/letters/ports.ts';

const DAY = 86_400_000;
const KEEP_DAYS = 90;

/**
 * The suppression list and the send counter in memory, with the DynamoDB adapter's rules
 * (test/unit/support/suppression-contract.ts runs one contract on both). Each method checks and writes
 * with no await in between, as one conditional write.
 */
export class InMemorySuppression implements SuppressionList, SendCounter {
  readonly list = new Map<string, Suppression>();
  readonly counted = new Map<string, CountedSend[]>();
  /** Each address's count is at a version, as the adapter's item is: one more with each letter counted. */
  readonly versions = new Map<string, number>();

  async suppress(addressHash: string, mark: SuppressionMark): Promise<void> {
    const known = this.list.get(addressHash);
    if (known && known.latest.at > mark.at) return;
    this.list.set(addressHash, { addressHash, first: known?.first ?? { ...mark }, latest: { ...mark } });
  }

  async find(addressHashes: readonly string[]): Promise<Map<string, Suppression>> {
    const found = new Map<string, Suppression>();
    for (const hash of addressHashes) {
      const entry = this.list.get(hash);
      if (entry) found.set(hash, structuredClone(entry));
    }
    return found;
  }

  async sends(addressHash: string, since: string): Promise<CountedSend[]> {
    return (this.counted.get(addressHash) ?? []).filter((s) => s.at > since).map((s) => ({ ...s }));
  }

  async counts(addressHashes: readonly string[]): Promise<Map<string, CountedLetters>> {
    return new Map(
      addressHashes.map((hash) => [
        hash,
        {
          sends: (this.counted.get(hash) ?? []).map((s) => ({ ...s })),
          version: this.versions.get(hash) ?? 0,
        },
      ]),
    );
  }

  async claimAll(claims: readonly { claim: SendClaim; read: CountedLetters }[]): Promise<ClaimResult[]> {
    const addresses = new Set(claims.map(({ claim }) => claim.addressHash));
    if (addresses.size < claims.length) throw new Error('send counter: two claims of one address at once');
    return Promise.all(claims.map(({ claim, read }) => this.claim(claim, read)));
  }

  async claim(claim: SendClaim, read?: CountedLetters): Promise<ClaimResult> {
    const at = Date.parse(claim.at);
    const since = new Date(at - claim.windowDays * DAY).toISOString();
    const version = this.versions.get(claim.addressHash) ?? 0;
    // A read at the count's version decides; one the count has moved past is read again, as a lost write is.
    const sends = read?.version === version ? read.sends : (this.counted.get(claim.addressHash) ?? []);
    const inWindow = sends.filter((s) => s.at > since);
    const own = inWindow.find((s) => s.sendKey === claim.sendKey);
    if (own) {
      return own.prospectId === claim.prospectId
        ? { claimed: true }
        : { claimed: false, reason: 'already_sent_this_campaign' };
    }
    if (inWindow.length >= claim.cap) {
      const oldest = inWindow.reduce((a, b) => (a.at <= b.at ? a : b));
      const until = new Date(Date.parse(oldest.at) + claim.windowDays * DAY).toISOString();
      return { claimed: false, reason: 'frequency_cap', until };
    }
    const kept = new Date(at - KEEP_DAYS * DAY).toISOString();
    this.counted.set(claim.addressHash, [
      ...sends.filter((s) => s.at > kept),
      { sendKey: claim.sendKey, prospectId: claim.prospectId, at: claim.at },
    ]);
    this.versions.set(claim.addressHash, version + 1);
    return { claimed: true };
  }
}
