import type { Keys } from '../access/keys.ts';
import { checkColumnMapping, ProspectImportError } from './column-mapping.ts';
import { type ImportFormat, type ProspectBatch, parseProspectImport } from './import-parser.ts';
import type { ImportCounts, ImportFailure, ImportState, ProspectImports } from './ports.ts';
import { ImportId, type Prospect, type ProspectSource } from './prospect.ts';
import type { RejectedRow } from './row.ts';

/**
 * Stores an import of prospects: the parser's batches in, for each batch the existing clients refused, the
 * prospects already known counted (and left as they are), the new ones written, every rejected row kept in
 * the import's report, then a checkpoint (the last line fully handled, the counts). A run that crashes is
 * run again with the same importId: the file is read from its start, the rows up to the checkpoint are
 * skipped, and it ends with the counts of a run that never crashed. An import that ended answers its stored
 * state and reads nothing.
 */

export type ImportDeps = { imports: ProspectImports; keys: Keys; now: () => Date };

export type ImportRequest = {
  importId: string;
  format: ImportFormat;
  /** The file's columns to the model's fields (docs/prospects.md). */
  mapping: unknown;
  /** Rows per batch; BatchWriteItem's 25 by default. */
  batchSize?: number;
  /**
   * Asked after each batch: true stops the run at that batch's checkpoint, the import left `running` for
   * the next run to resume (a job stops well before its Lambda's timeout).
   */
  pauseNow?: () => boolean;
};

/**
 * The import as it stands when the run stops: `resumedAfter` is the line this run started after (0 for a
 * first run); `alreadyEnded` says the import had ended before and nothing was read; `paused` says the run
 * stopped at a checkpoint when asked to, the import still `running`.
 */
export type ImportOutcome = ImportState & { resumedAfter?: number; alreadyEnded?: true; paused?: true };

/** Another run of the same import moved it on first; this run stopped (what it wrote was the same rows). */
export class ImportConflict extends Error {
  override name = 'ImportConflict';
  constructor(importId: string) {
    super(`import ${importId} was advanced by another run`);
  }
}

export const EXISTING_CLIENT_MESSAGE =
  'an existing client of the bank: their personal manager looks after them, not a letter campaign';

export async function importProspects(
  deps: ImportDeps,
  input: AsyncIterable<Uint8Array | string>,
  request: ImportRequest,
): Promise<ImportOutcome> {
  // Faults in the request itself are the caller's: refused before the import exists.
  const importId = ImportId.parse(request.importId);
  checkColumnMapping(request.mapping);
  const at = () => deps.now().toISOString();

  const started = await deps.imports.begin(importId, at());
  if (started.status !== 'running') return { ...started, alreadyEnded: true };

  let line = started.line;
  let counts = started.counts;
  let failure: ImportFailure | undefined;
  const batches = parseProspectImport(input, {
    format: request.format,
    mapping: request.mapping,
    importId,
    keys: deps.keys,
    ...(request.batchSize === undefined ? {} : { batchSize: request.batchSize }),
  });
  /**
   * The next batch with rows after the checkpoint, and what storage knows of them. It is read and looked up
   * while the batch before it is written: its rows are other prospects (the parser refuses a prospect seen
   * earlier in the file), so the lookups do not depend on those writes.
   */
  const prepare = async (): Promise<Prepared | undefined> => {
    for (let next = await batches.next(); !next.done; next = await batches.next()) {
      const batch = after(next.value, started.line);
      const last = lastLineOf(batch);
      if (last !== undefined) return { batch, last, found: await lookUp(deps.imports, batch) };
    }
    return undefined;
  };
  /** A checkpoint, sent while the next batch is written; a refused one stops the run when awaited. */
  const checkpoint = (from: number, to: number, moved: ImportCounts): Promise<void> => {
    const sent = deps.imports.checkpoint(importId, from, to, moved, at()).then((advance) => {
      if (advance === 'stale') throw new ImportConflict(importId);
    });
    sent.catch(() => undefined);
    return sent;
  };
  let checkpointed: Promise<void> = Promise.resolve();
  let paused = false;
  try {
    for (let current = await prepare(); current; ) {
      const following = prepare();
      // Settled below, after this batch: marked handled so a failure here leaves no unhandled rejection.
      following.catch(() => undefined);
      const tally = await storeBatch(deps.imports, importId, current.batch, current.found);
      // Checkpoints go in order: the one before, sent while this batch was written, has to have landed.
      await checkpointed;
      const moved = add(counts, tally);
      checkpointed = checkpoint(line, current.last, moved);
      line = current.last;
      counts = moved;
      paused = request.pauseNow?.() ?? false;
      if (paused) {
        // The batch read ahead is read again by the next run; its lookups are let finish, not abandoned.
        await following.catch(() => undefined);
        break;
      }
      current = await following;
    }
    await checkpointed;
  } catch (error) {
    // Whatever stopped the run, no checkpoint of it is still on its way once it has stopped.
    const refused = await checkpointed.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof ProspectImportError)) throw error;
    if (refused) throw refused;
    // The file stopped being readable: the import ends here, its rows so far kept and counted.
    failure = {
      code: error.code,
      message: error.message,
      ...(error.line === undefined ? {} : { line: error.line }),
    };
  }
  if (paused) {
    const state = await deps.imports.importState(importId);
    if (!state) throw new Error(`import ${importId} vanished`);
    return { ...state, resumedAfter: started.line, paused: true };
  }
  const ending = { counts, at: at(), ...(failure ? { failure } : {}) };
  if ((await deps.imports.end(importId, line, ending)) === 'stale') throw new ImportConflict(importId);
  const ended = await deps.imports.importState(importId);
  if (!ended) throw new Error(`import ${importId} vanished`);
  return { ...ended, resumedAfter: started.line };
}

/** The rows of a batch after the checkpoint's line: a resumed run skips what an earlier run handled. */
function after(batch: ProspectBatch, line: number): ProspectBatch {
  if (line === 0) return batch;
  return {
    accepted: batch.accepted.filter((row) => row.line > line),
    rejected: batch.rejected.filter((row) => row.line > line),
  };
}

function lastLineOf(batch: ProspectBatch): number | undefined {
  const lines = [...batch.accepted, ...batch.rejected].map((row) => row.line);
  return lines.length === 0 ? undefined : Math.max(...lines);
}

/**
 * One batch: existing clients refused (checked first: a known prospect whose company became a client is
 * not written to either), known prospects counted, new ones stored, rejected rows reported.
 */
type Found = { known: Map<string, ProspectSource>; clients: Set<string> };
type Prepared = { batch: ProspectBatch; last: number; found: Found };

/** Of a batch's accepted rows, the prospects already stored and the companies that are clients. */
async function lookUp(imports: ProspectImports, batch: ProspectBatch): Promise<Found> {
  const prospects = batch.accepted.map((row) => row.prospect);
  if (prospects.length === 0) return { known: new Map(), clients: new Set() };
  const [known, clients] = await Promise.all([
    imports.knownOf(prospects.map((p) => p.prospectId)),
    imports.clientsAmong([...new Set(prospects.map((p) => p.company.inn))]),
  ]);
  return { known, clients };
}

async function storeBatch(
  imports: ProspectImports,
  importId: string,
  batch: ProspectBatch,
  { known, clients }: Found,
): Promise<ImportCounts> {
  const rejected: RejectedRow[] = [...batch.rejected];
  const fresh: Prospect[] = [];
  let knownRows = 0;
  for (const { line, prospect } of batch.accepted) {
    const source = known.get(prospect.prospectId);
    if (clients.has(prospect.company.inn)) {
      rejected.push({
        line,
        reasons: [{ field: 'inn', code: 'existing_client', message: EXISTING_CLIENT_MESSAGE }],
      });
    } else if (source && source.importId !== importId) {
      knownRows++;
    } else {
      // New, or stored by a run of this import that crashed before its checkpoint: written (again) and counted.
      fresh.push(prospect);
    }
  }
  rejected.sort((a, b) => a.line - b.line);
  // Both writes are settled before a failure is thrown: nothing of this run goes on writing after it stops.
  const written = await Promise.allSettled([
    fresh.length ? imports.store(fresh) : undefined,
    rejected.length ? imports.report(importId, rejected) : undefined,
  ]);
  for (const write of written) if (write.status === 'rejected') throw write.reason;
  return {
    rows: batch.accepted.length + batch.rejected.length,
    created: fresh.length,
    known: knownRows,
    rejected: rejected.length,
  };
}

const add = (a: ImportCounts, b: ImportCounts): ImportCounts => ({
  rows: a.rows + b.rows,
  created: a.created + b.created,
  known: a.known + b.known,
  rejected: a.rejected + b.rejected,
});
