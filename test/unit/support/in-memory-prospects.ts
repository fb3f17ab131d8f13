import type { Client } from '#shared/leads/ports.ts';
import {
  type Advance,
  type DeclaredImport,
  type ImportCounts,
  type ImportFailure,
  type ImportState,
  NO_ROWS,
  type ProspectImports,
  type RejectionsPage,
} from '#shared/prospects/ports.ts';
import type { Prospect, ProspectSource } from '#shared/prospects/prospect.ts';
import type { RejectedRow } from '#shared/prospects/row.ts';
import { copy } from './in-memory-leads.ts';

/**
 * Prospects and their imports in memory, with the adapter's semantics (the same contract runs on both:
 * test/unit/prospects-contract.test.ts, test/local/prospect-store.test.ts). Values are copied in and out.
 */
export class InMemoryProspects implements ProspectImports {
  readonly prospects = new Map<string, Prospect>();
  readonly imports = new Map<string, ImportState>();
  /** Each import's rejected rows by line. */
  readonly reports = new Map<string, Map<number, RejectedRow>>();
  readonly clients = new Map<string, Client>();

  async putClient(client: Client): Promise<void> {
    this.clients.set(client.inn, copy(client));
  }

  async declare(upload: DeclaredImport, at: string): Promise<'declared' | 'exists'> {
    if (this.imports.has(upload.importId)) return 'exists';
    this.imports.set(
      upload.importId,
      copy({ ...upload, status: 'awaiting_upload', line: 0, counts: NO_ROWS, createdAt: at, updatedAt: at }),
    );
    return 'declared';
  }

  async release(importId: string, at: string): Promise<Advance> {
    return this.changeIf(importId, 'awaiting_upload', (state) => ({
      ...state,
      status: 'running',
      startedAt: at,
      updatedAt: at,
    }));
  }

  async abandon(importId: string, failure: ImportFailure, at: string): Promise<Advance> {
    return this.changeIf(importId, 'running', (state) => ({
      ...state,
      status: 'failed',
      failure,
      updatedAt: at,
      endedAt: at,
    }));
  }

  async begin(importId: string, at: string): Promise<ImportState> {
    const state = this.imports.get(importId) ?? {
      importId,
      status: 'running',
      line: 0,
      counts: NO_ROWS,
      startedAt: at,
      updatedAt: at,
    };
    this.imports.set(importId, state);
    return copy(state);
  }

  async importState(importId: string): Promise<ImportState | undefined> {
    return copy(this.imports.get(importId));
  }

  async knownOf(prospectIds: readonly string[]): Promise<Map<string, ProspectSource>> {
    const known = new Map<string, ProspectSource>();
    for (const id of prospectIds) {
      const prospect = this.prospects.get(id);
      if (prospect) known.set(id, copy(prospect.source));
    }
    return known;
  }

  async clientsAmong(inns: readonly string[]): Promise<Set<string>> {
    return new Set(inns.filter((inn) => this.clients.has(inn)));
  }

  async store(prospects: readonly Prospect[]): Promise<void> {
    for (const prospect of prospects) this.prospects.set(prospect.prospectId, copy(prospect));
  }

  async report(importId: string, rows: readonly RejectedRow[]): Promise<void> {
    const report = this.reports.get(importId) ?? new Map<number, RejectedRow>();
    for (const row of rows) report.set(row.line, copy(row));
    this.reports.set(importId, report);
  }

  async rejections(importId: string, page: { limit: number; after?: number }): Promise<RejectionsPage> {
    const after = page.after ?? 0;
    const rows = [...(this.reports.get(importId)?.values() ?? [])]
      .filter((row) => row.line > after)
      .sort((a, b) => a.line - b.line);
    const taken = rows.slice(0, page.limit);
    const last = taken.at(-1);
    return { rows: copy(taken), ...(rows.length > page.limit && last ? { after: last.line } : {}) };
  }

  async checkpoint(
    importId: string,
    expectedLine: number,
    line: number,
    counts: ImportCounts,
    at: string,
  ): Promise<Advance> {
    return this.advance(importId, expectedLine, (state) => ({ ...state, line, counts, updatedAt: at }));
  }

  async end(
    importId: string,
    expectedLine: number,
    ending: { counts: ImportCounts; at: string; failure?: ImportFailure },
  ): Promise<Advance> {
    return this.advance(importId, expectedLine, (state) => ({
      ...state,
      status: ending.failure ? 'failed' : 'finished',
      counts: ending.counts,
      updatedAt: ending.at,
      endedAt: ending.at,
      ...(ending.failure ? { failure: ending.failure } : {}),
    }));
  }

  private advance(importId: string, expectedLine: number, change: (s: ImportState) => ImportState): Advance {
    if (this.imports.get(importId)?.line !== expectedLine) return 'stale';
    return this.changeIf(importId, 'running', change);
  }

  private changeIf(
    importId: string,
    status: ImportState['status'],
    change: (s: ImportState) => ImportState,
  ): Advance {
    const state = this.imports.get(importId);
    if (state?.status !== status) return 'stale';
    this.imports.set(importId, copy(change(state)));
    return 'advanced';
  }
}
