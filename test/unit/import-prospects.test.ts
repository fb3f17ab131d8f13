import { describe, expect, it } from 'vitest';
import { ProspectImportError } from '#shared/prospects/column-mapping.ts';
import {
  EXISTING_CLIENT_MESSAGE,
  ImportConflict,
  type ImportRequest,
  importProspects,
} from '#shared/prospects/import-prospects.ts';
import type { ProspectImports } from '#shared/prospects/ports.ts';
import { prospectIdOf } from '#shared/prospects/prospect.ts';
import { InMemoryProspects } from './support/in-memory-prospects.ts';
import { GENERATED_MAPPING, generatedCsv, generatedRow, innOf, keys } from './support/prospect-file.ts';

const NOW = new Date('2026-12-01T09:00:00.000Z');
const request = (importId: string): ImportRequest => ({
  importId,
  format: 'csv',
  mapping: GENERATED_MAPPING,
});
const depsOf = (imports: ProspectImports) => ({ imports, keys, now: () => NOW });

/** Row n of the test file: every 10th has a broken email; the header is line 1, so row n is on line n + 1. */
const row = (n: number) => {
  const cells = generatedRow(n);
  if (n % 10 === 0) cells[4] = 'not-an-email';
  return cells;
};
const ROWS = 120;
const file = () => generatedCsv(ROWS, row);
const CLIENT_ROW = 7;
/** Rows 1-5 were stored by an earlier import. */
const EARLIER = 5;

/** A store holding a client (row 7's company) and the prospects of an earlier import (rows 1-5). */
async function seeded(): Promise<InMemoryProspects> {
  const store = new InMemoryProspects();
  await store.putClient({
    clientId: 'client-7',
    inn: innOf(CLIENT_ROW),
    name: 'ООО Клиент',
    managerId: 'pm-ivanova',
  });
  await importProspects(depsOf(store), generatedCsv(EARLIER), request('earlier'));
  return store;
}

/** 120 rows: 12 broken, row 7 a client, rows 1-5 known. */
const EXPECTED = { rows: 120, created: 120 - 12 - 1 - 5, known: 5, rejected: 13 };

/** Fails the test if anything reads it. */
const unread: AsyncIterable<Uint8Array> = {
  [Symbol.asyncIterator]: () => {
    throw new Error('the file was read');
  },
};

/**
 * The store, except that the run dies at its n-th checkpoint, which never lands: at once, after that batch's
 * writes; or, `late`, once the next batch has been written too (the checkpoint is sent while it is written).
 */
function crashingAt(store: InMemoryProspects, n: number, late: boolean): ProspectImports {
  let checkpoints = 0;
  let die: (() => void) | undefined;
  return Object.assign(Object.create(store) as InMemoryProspects, {
    checkpoint: (...args: Parameters<ProspectImports['checkpoint']>) => {
      checkpoints++;
      if (checkpoints !== n) return store.checkpoint(...args);
      if (!late) throw new Error('the process died');
      return new Promise<never>((_, reject) => {
        die = () => reject(new Error('the process died'));
      });
    },
    store: async (...args: Parameters<ProspectImports['store']>) => {
      await store.store(...args);
      die?.();
    },
  });
}

const allRejections = async (store: ProspectImports, importId: string) =>
  (await store.rejections(importId, { limit: 1000 })).rows;

describe('importing prospects into the store', () => {
  it('stores the new prospects, refuses existing clients, counts known prospects and reports every rejected row', async () => {
    const store = await seeded();
    const earlier = store.prospects.get(prospectIdOf(keys, innOf(1), 'contact1@company1.ru'));
    const outcome = await importProspects(depsOf(store), file(), request('imp-1'));
    expect(outcome).toMatchObject({ status: 'finished', line: ROWS + 1, counts: EXPECTED, resumedAfter: 0 });
    expect(outcome.endedAt).toBe(NOW.toISOString());

    const rejected = await allRejections(store, 'imp-1');
    expect(rejected.map((r) => r.line)).toEqual([8, 11, 21, 31, 41, 51, 61, 71, 81, 91, 101, 111, 121]);
    expect(rejected[0]).toEqual({
      line: CLIENT_ROW + 1,
      reasons: [{ field: 'inn', code: 'existing_client', message: EXISTING_CLIENT_MESSAGE }],
    });
    expect(rejected[1]?.reasons.map((r) => `${r.field}:${r.code}`)).toEqual(['email:invalid_format']);
    // A known prospect is left as the earlier import stored it; the client is not stored at all.
    expect(store.prospects.get(earlier?.prospectId ?? '')).toEqual(earlier);
    expect(store.prospects.size).toBe(EARLIER + EXPECTED.created);
    expect([...store.prospects.values()].some((p) => p.company.inn === innOf(CLIENT_ROW))).toBe(false);
  });

  it.each([
    [1, false],
    [2, false],
    [4, false],
    [5, false],
    [1, true],
    [3, true],
    [4, true],
  ])(
    'resumes after a crash at checkpoint %i (late: %s) with the counts of a run that never crashed, nothing twice',
    async (crashAt, late) => {
      const store = await seeded();
      await expect(
        importProspects(depsOf(crashingAt(store, crashAt, late)), file(), request('imp-1')),
      ).rejects.toThrow('the process died');
      const stopped = await store.importState('imp-1');
      // Batches of 25 rows, the first on line 2: the k-th checkpoint is at line 25k + 1.
      const reached = crashAt === 1 ? 0 : (crashAt - 1) * 25 + 1;
      expect(stopped).toMatchObject({ status: 'running', line: reached });

      const resumed = await importProspects(depsOf(store), file(), request('imp-1'));
      expect(resumed).toMatchObject({ status: 'finished', counts: EXPECTED, resumedAfter: stopped?.line });

      const clean = await seeded();
      await importProspects(depsOf(clean), file(), request('imp-1'));
      expect(store.prospects).toEqual(clean.prospects);
      expect(await allRejections(store, 'imp-1')).toEqual(await allRejections(clean, 'imp-1'));
    },
  );

  it('answers an import that ended with its stored state, reading nothing', async () => {
    const store = await seeded();
    const first = await importProspects(depsOf(store), file(), request('imp-1'));
    const again = await importProspects(depsOf(store), unread, request('imp-1'));
    expect(again).toEqual({ ...first, alreadyEnded: true, resumedAfter: undefined });
    expect(again.counts).toEqual(EXPECTED);
  });

  it('ends an import whose file breaks part-way as failed, the rows before it kept, and does not run it again', async () => {
    const store = new InMemoryProspects();
    const broken = (async function* () {
      yield* generatedCsv(60);
      yield Buffer.from('7700000000;"unclosed\n');
    })();
    const outcome = await importProspects(depsOf(store), broken, request('imp-broken'));
    expect(outcome).toMatchObject({ status: 'failed', failure: { code: 'not_csv', line: 62 } });
    // The batches the parser gave before its error: the rows it had read but not yet batched are lost with it.
    expect(outcome.counts.rows).toBeGreaterThanOrEqual(25);
    expect(outcome.counts).toEqual({
      rows: outcome.counts.rows,
      created: outcome.counts.rows,
      known: 0,
      rejected: 0,
    });
    expect(store.prospects.size).toBe(outcome.counts.rows);
    const again = await importProspects(depsOf(store), unread, request('imp-broken'));
    expect(again).toMatchObject({ status: 'failed', alreadyEnded: true, failure: { code: 'not_csv' } });
  });

  it('refuses a wrong mapping before the import exists', async () => {
    const store = new InMemoryProspects();
    const wrong = { ...request('imp-2'), mapping: { ИНН: 'inn' } };
    await expect(importProspects(depsOf(store), unread, wrong)).rejects.toBeInstanceOf(ProspectImportError);
    expect(await store.importState('imp-2')).toBeUndefined();
  });

  it('stops a run whose checkpoint another run of the same import took first', async () => {
    const store = new InMemoryProspects();
    const raced = Object.assign(Object.create(store) as InMemoryProspects, {
      checkpoint: async (...args: Parameters<ProspectImports['checkpoint']>) => {
        // The other run handled the same batch and checkpointed it a moment earlier.
        await store.checkpoint(...args);
        return store.checkpoint(...args);
      },
    });
    await expect(importProspects(depsOf(raced), generatedCsv(30), request('imp-3'))).rejects.toBeInstanceOf(
      ImportConflict,
    );
    // The other run goes on from the line it reached and finishes the import.
    const outcome = await importProspects(depsOf(store), generatedCsv(30), request('imp-3'));
    expect(outcome).toMatchObject({
      status: 'finished',
      resumedAfter: 26,
      counts: { rows: 30, created: 30 },
    });
    expect(store.prospects.size).toBe(30);
  });
  it('pauses at a checkpoint when asked, and the next runs carry on to the counts of a run that never paused', async () => {
    const store = await seeded();
    let runs = 0;
    let outcome = await importProspects(depsOf(store), file(), {
      ...request('paused'),
      pauseNow: () => true,
    });
    expect(outcome).toMatchObject({ status: 'running', paused: true, line: 26, resumedAfter: 0 });
    // Two batches a run: each run resumes after the line the one before it stopped at.
    while (outcome.status === 'running') {
      let batches = 0;
      const last = outcome.line;
      outcome = await importProspects(depsOf(store), file(), {
        ...request('paused'),
        pauseNow: () => ++batches === 2,
      });
      expect(outcome.resumedAfter).toBe(last);
      runs++;
    }
    expect(runs).toBe(3);
    expect(outcome).toMatchObject({ status: 'finished', counts: EXPECTED });
    expect(outcome.paused).toBeUndefined();
  });
});
