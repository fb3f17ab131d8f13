import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  GetCommand,
  PutCommand,
  type PutCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  ClaimResult,
  CountedLetters,
  CountedSend,
  SendClaim,
  SendCounter,
  Suppression,
  SuppressionList,
  SuppressionMark,
} from '../letters/ports.ts';
import { getAll } from './batch.ts';
import { keys, TableAdapter, transact } from './table.ts';

/** BatchGetItem takes at most this many keys. */
const BATCH_GET_MAX = 100;
/** Rounds of UnprocessedKeys (throttling) before giving up: the send step's own retry takes over. */
const MAX_BATCH_ROUNDS = 10;
/** Rounds of a claim lost to a concurrent claim for the same address before giving up. */
const MAX_CLAIM_ROUNDS = 60;
/** Claims written in one transaction: a page's worth, well inside TransactWriteItems' 100 items. */
const CLAIMS_PER_TRANSACTION = 25;
/** Letters are kept this long: the longest window a policy may have (SendPolicy, 90 days). */
const KEEP_DAYS = 90;
const DAY = 86_400_000;

const pause = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** Math.min(attempt, 5)));

/**
 * The suppression list (`SUPPRESSED#<hash> / SUPPRESSION`) and the frequency cap's counts
 * (`LETTER_SENDS#<hash> / SENDS`), keyed by the address's keyed hash (docs/data-model.md, patterns 18 and 18b).
 */
export class SuppressionStore extends TableAdapter implements SuppressionList, SendCounter {
  async suppress(addressHash: string, mark: SuppressionMark): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.suppression(addressHash),
          UpdateExpression:
            'SET #type = :type, addressHash = :hash, #first = if_not_exists(#first, :mark), latest = :mark',
          // A mark older than the latest (an event delivered late or twice) changes nothing.
          ConditionExpression: 'attribute_not_exists(latest) OR latest.#at <= :at',
          ExpressionAttributeNames: { '#type': 'type', '#first': 'first', '#at': 'at' },
          ExpressionAttributeValues: {
            ':type': 'Suppression',
            ':hash': addressHash,
            ':mark': mark,
            ':at': mark.at,
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async find(addressHashes: readonly string[]): Promise<Map<string, Suppression>> {
    const found = new Map<string, Suppression>();
    const distinct = [...new Set(addressHashes)];
    for (let i = 0; i < distinct.length; i += BATCH_GET_MAX) {
      let pending: Record<string, unknown>[] | undefined = distinct
        .slice(i, i + BATCH_GET_MAX)
        .map((hash) => keys.suppression(hash));
      for (let round = 0; pending?.length; round++) {
        if (round >= MAX_BATCH_ROUNDS) throw new Error('suppression list: keys left unprocessed');
        if (round > 0) await pause(round);
        const { Responses, UnprocessedKeys }: BatchGetCommandOutput = await this.client.send(
          new BatchGetCommand({
            // Consistent: an unsubscribe is effective for the very next send.
            RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } },
          }),
        );
        for (const item of Responses?.[this.tableName] ?? []) {
          const { addressHash, first, latest } = item as Suppression;
          found.set(addressHash, { addressHash, first, latest });
        }
        pending = UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return found;
  }

  async sends(addressHash: string, since: string): Promise<CountedSend[]> {
    const { sends } = await this.counted(addressHash);
    return sends.filter((s) => s.at > since);
  }

  async counts(addressHashes: readonly string[]): Promise<Map<string, CountedLetters>> {
    // BatchGetItem refuses a key asked twice: two prospects may share an address.
    const unique = [...new Set(addressHashes)];
    const items = await getAll(
      this.client,
      this.tableName,
      unique.map((hash) => keys.letterSends(hash)),
      ['pk', 'sends', 'version'],
    );
    const counts = new Map(unique.map((hash): [string, CountedLetters] => [hash, { sends: [], version: 0 }]));
    for (const item of items) {
      counts.set(String(item.pk).slice(keys.letterSends('').pk.length), countedOf(item));
    }
    return counts;
  }

  /**
   * Optimistic: read the address's item (or take the page's read of it), decide, write it back only if
   * nobody wrote it since (`version`); a lost race reads again. Exact: every letter counted went through
   * one version. A refusal decided on an earlier read stands: it held fewer letters than now, never more.
   */
  async claim(claim: SendClaim, read?: CountedLetters): Promise<ClaimResult> {
    for (let round = 0; round < MAX_CLAIM_ROUNDS; round++) {
      if (round > 0) await pause(round);
      const decided = this.decide(claim, round === 0 && read ? read : await this.counted(claim.addressHash));
      if ('result' in decided) return decided.result;
      try {
        await this.client.send(new PutCommand(decided.put));
        return { claimed: true };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    throw new Error('send counter: too many concurrent claims for one address');
  }

  /**
   * The page's claims decided on their reads, the writes in transactions of `CLAIMS_PER_TRANSACTION`, each
   * put conditioned on its count's version as `claim`'s is. A transaction another claim cancelled (a count
   * moved since the page read it) writes nothing: its claims are made one by one, and the moved ones read
   * again. One claim an address: a transaction cannot hold one item twice.
   */
  async claimAll(claims: readonly { claim: SendClaim; read: CountedLetters }[]): Promise<ClaimResult[]> {
    const addresses = new Set(claims.map(({ claim }) => claim.addressHash));
    if (addresses.size < claims.length) throw new Error('send counter: two claims of one address at once');
    const results = new Array<ClaimResult>(claims.length);
    const writes: { i: number; put: PutCommandInput }[] = [];
    for (const [i, { claim, read }] of claims.entries()) {
      const decided = this.decide(claim, read);
      if ('result' in decided) results[i] = decided.result;
      else writes.push({ i, put: decided.put });
    }
    for (let c = 0; c < writes.length; c += CLAIMS_PER_TRANSACTION) {
      const chunk = writes.slice(c, c + CLAIMS_PER_TRANSACTION);
      const cancelled = await transact(
        this.client,
        chunk.map(({ put }) => ({ Put: put })),
      );
      const settled = await Promise.all(
        chunk.map(async ({ i }): Promise<ClaimResult> => {
          const { claim, read } = claims[i] as (typeof claims)[number];
          return cancelled ? this.claim(claim, read) : { claimed: true };
        }),
      );
      for (const [k, { i }] of chunk.entries()) results[i] = settled[k] as ClaimResult;
    }
    return results;
  }

  /** The claim's answer from the address's counted letters, or the put that counts the letter. */
  private decide(
    claim: SendClaim,
    { sends, version }: CountedLetters,
  ): { result: ClaimResult } | { put: PutCommandInput } {
    const at = Date.parse(claim.at);
    const since = new Date(at - claim.windowDays * DAY).toISOString();
    const kept = new Date(at - KEEP_DAYS * DAY).toISOString();
    const inWindow = sends.filter((s) => s.at > since);
    const own = inWindow.find((s) => s.sendKey === claim.sendKey);
    if (own) {
      return own.prospectId === claim.prospectId
        ? { result: { claimed: true } }
        : { result: { claimed: false, reason: 'already_sent_this_campaign' } };
    }
    if (inWindow.length >= claim.cap) {
      const oldest = inWindow.reduce((a, b) => (a.at <= b.at ? a : b));
      const until = new Date(Date.parse(oldest.at) + claim.windowDays * DAY).toISOString();
      return { result: { claimed: false, reason: 'frequency_cap', until } };
    }
    const next: CountedSend[] = [
      ...sends.filter((s) => s.at > kept),
      { sendKey: claim.sendKey, prospectId: claim.prospectId, at: claim.at },
    ];
    const latest = next.reduce((a, b) => (a.at >= b.at ? a : b)).at;
    return {
      put: {
        TableName: this.tableName,
        Item: {
          ...keys.letterSends(claim.addressHash),
          type: 'LetterSends',
          sends: next,
          version: version + 1,
          expiresAt: Math.floor((Date.parse(latest) + (KEEP_DAYS + 1) * DAY) / 1000),
        },
        ConditionExpression: version === 0 ? 'attribute_not_exists(pk)' : 'version = :version',
        ...(version === 0 ? {} : { ExpressionAttributeValues: { ':version': version } }),
      },
    };
  }

  private async counted(addressHash: string): Promise<CountedLetters> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.letterSends(addressHash), ConsistentRead: true }),
    );
    return countedOf(Item);
  }
}

const countedOf = (item: Record<string, unknown> | undefined): CountedLetters => ({
  sends: (item?.sends as CountedSend[] | undefined) ?? [],
  version: Number(item?.version ?? 0),
});
