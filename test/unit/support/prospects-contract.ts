import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Client } from '#shared/leads/ports.ts';
import type { ProspectImports } from '#shared/prospects/ports.ts';
import { type Prospect, ProspectFields, toProspect } from '#shared/prospects/prospect.ts';
import type { RejectedRow } from '#shared/prospects/row.ts';
import { innOf, keys } from './prospect-file.ts';

/** What a contract run needs: the store under test, and a way to seed the bank's clients. */
export type ProspectsUnderTest = {
  imports: ProspectImports;
  putClient: (client: Client) => Promise<void>;
};

const T0 = '2026-12-01T09:00:00.000Z';
const T1 = '2026-12-01T09:05:00.000Z';
const counts = (rows: number, created = rows, known = 0, rejected = 0) => ({
  rows,
  created,
  known,
  rejected,
});

/** The n-th prospect of an import (a run of tests shares a store: `tag` keeps their prospects apart). */
export function aProspect(n: number, importId: string, tag: string, line = n + 1): Prospect {
  const fields = ProspectFields.parse({
    company: { name: `Фирма ${n}`, inn: innOf(n) },
    contact: { name: `Контакт ${n}`, email: `c${n}.${tag}@firm${n}.ru` },
  });
  return toProspect(keys, fields, { importId, line });
}

const aRejection = (line: number): RejectedRow => ({
  line,
  reasons: [{ field: 'email', code: 'invalid_format', message: 'Invalid email address' }],
});

/** The contract every store of prospect imports keeps: the in-memory one and the DynamoDB one. */
export function prospectsContract(name: string, setup: () => ProspectsUnderTest) {
  describe(`the prospect imports' contract: ${name}`, () => {
    it('starts an import once: a second begin answers the import as it stands', async () => {
      const { imports } = setup();
      const importId = randomUUID();
      expect(await imports.importState(importId)).toBeUndefined();
      const started = await imports.begin(importId, T0);
      expect(started).toEqual({
        importId,
        status: 'running',
        line: 0,
        counts: counts(0),
        startedAt: T0,
        updatedAt: T0,
      });
      expect(await imports.checkpoint(importId, 0, 26, counts(25), T1)).toBe('advanced');
      expect(await imports.begin(importId, T1)).toEqual({
        ...started,
        line: 26,
        counts: counts(25),
        updatedAt: T1,
      });
    });

    it('declares an import once, releases it once its file is there, and lets its job fail only a running one', async () => {
      const { imports } = setup();
      const importId = randomUUID();
      const declared = {
        importId,
        file: { name: 'список.csv', contentType: 'text/csv', format: 'csv' as const, size: 1200 },
        mapping: { ИНН: 'inn', Компания: 'companyName', Контакт: 'contactName', 'E-mail': 'email' },
        createdBy: 'anna.campaigns',
      };
      expect(await imports.release(importId, T0)).toBe('stale');
      expect(await imports.declare(declared, T0)).toBe('declared');
      expect(await imports.declare({ ...declared, createdBy: 'someone.else' }, T1)).toBe('exists');
      expect(await imports.importState(importId)).toEqual({
        ...declared,
        status: 'awaiting_upload',
        line: 0,
        counts: counts(0),
        createdAt: T0,
        updatedAt: T0,
      });
      const failure = { code: 'job_failed' as const, message: 'States.Timeout' };
      expect(await imports.abandon(importId, failure, T1)).toBe('stale');
      expect(await imports.release(importId, T1)).toBe('advanced');
      expect(await imports.release(importId, T1)).toBe('stale');
      // The job's run begins the import where release left it, with its file and mapping.
      expect(await imports.begin(importId, T1)).toMatchObject({ status: 'running', startedAt: T1, line: 0 });
      expect(await imports.checkpoint(importId, 0, 26, counts(25), T1)).toBe('advanced');
      expect(await imports.abandon(importId, failure, T1)).toBe('advanced');
      expect(await imports.abandon(importId, failure, T1)).toBe('stale');
      expect(await imports.importState(importId)).toMatchObject({
        ...declared,
        status: 'failed',
        line: 26,
        counts: counts(25),
        failure,
        endedAt: T1,
      });
    });

    it('moves an import only from the line it is at, and not at all once it ended', async () => {
      const { imports } = setup();
      const importId = randomUUID();
      await imports.begin(importId, T0);
      expect(await imports.checkpoint(importId, 0, 26, counts(25), T0)).toBe('advanced');
      // A second run that read the import at line 0 comes late.
      expect(await imports.checkpoint(importId, 0, 26, counts(25), T0)).toBe('stale');
      expect(await imports.end(importId, 0, { counts: counts(25), at: T1 })).toBe('stale');
      const failure = {
        code: 'not_csv' as const,
        message: 'line 40: a quoted cell is never closed',
        line: 40,
      };
      expect(await imports.end(importId, 26, { counts: counts(25), at: T1, failure })).toBe('advanced');
      expect(await imports.checkpoint(importId, 26, 51, counts(50), T1)).toBe('stale');
      expect(await imports.end(importId, 26, { counts: counts(25), at: T1 })).toBe('stale');
      expect(await imports.importState(importId)).toMatchObject({
        status: 'failed',
        line: 26,
        counts: counts(25),
        endedAt: T1,
        failure,
      });
      const finished = randomUUID();
      await imports.begin(finished, T0);
      expect(await imports.end(finished, 0, { counts: counts(0), at: T1 })).toBe('advanced');
      expect(await imports.importState(finished)).toMatchObject({ status: 'finished', endedAt: T1 });
      expect((await imports.importState(finished))?.failure).toBeUndefined();
    });

    it('stores prospects in any number, a rewrite keeping one, and tells which ids are known and from where', async () => {
      const { imports } = setup();
      const tag = randomUUID();
      const importId = randomUUID();
      const prospects = Array.from({ length: 60 }, (_, n) => aProspect(n + 1, importId, tag));
      await imports.store(prospects);
      await imports.store(prospects.slice(0, 30));
      const strangers = Array.from({ length: 70 }, (_, n) => aProspect(n + 1, importId, `${tag}-other`));
      const known = await imports.knownOf([...strangers, ...prospects].map((p) => p.prospectId));
      expect(known.size).toBe(60);
      for (const p of prospects) expect(known.get(p.prospectId)).toEqual(p.source);
    });

    it('tells which INNs are clients, an INN asked twice answered once', async () => {
      const { imports, putClient } = setup();
      const inn = innOf(900_000 + Math.floor(Math.random() * 99_999));
      await putClient({ clientId: randomUUID(), inn, name: 'ООО Клиент', managerId: 'pm-ivanova' });
      const others = [innOf(1), innOf(2)];
      expect(await imports.clientsAmong([inn, ...others, inn])).toEqual(new Set([inn]));
      expect(await imports.clientsAmong(others)).toEqual(new Set());
    });

    it('keeps the report of rejected rows in file order, each row once, a page at a time', async () => {
      const { imports } = setup();
      const importId = randomUUID();
      const lines = [100, 2, 9, 10, 1_000_001, 11];
      await imports.report(importId, lines.map(aRejection));
      await imports.report(importId, [aRejection(9), aRejection(10)]);
      await imports.report(randomUUID(), [aRejection(3)]);
      const rows: RejectedRow[] = [];
      let after: number | undefined;
      do {
        const page = await imports.rejections(importId, {
          limit: 2,
          ...(after === undefined ? {} : { after }),
        });
        expect(page.rows.length).toBeLessThanOrEqual(2);
        rows.push(...page.rows);
        after = page.after;
      } while (after !== undefined);
      expect(rows).toEqual([2, 9, 10, 11, 100, 1_000_001].map(aRejection));
      expect((await imports.rejections(importId, { limit: 10, after: 11 })).rows.map((r) => r.line)).toEqual([
        100, 1_000_001,
      ]);
    });
  });
}
