import { describe, expect, it } from 'vitest';
import {
  declareImport,
  type ImportFiles,
  type ImportJobs,
  ImportRequestInvalid,
  MAX_IMPORT_BYTES,
  runImport,
  startImport,
} from '#shared/prospects/import-upload.ts';
import { InMemoryProspects } from './support/in-memory-prospects.ts';
import { GENERATED_MAPPING, generatedCsv, keys } from './support/prospect-file.ts';

const NOW = new Date('2026-12-01T09:00:00.000Z');

/** Files as a bucket keeps them: a presigned upload stores nothing until `uploaded` sends the bytes. */
class Bucket implements ImportFiles {
  readonly objects = new Map<string, { bytes: Buffer; contentType: string }>();
  async uploadUrl(importId: string, file: { contentType: string; size: number }) {
    return {
      url: `https://bucket.example/imports/${importId}`,
      method: 'PUT' as const,
      headers: { 'content-type': file.contentType, 'content-length': String(file.size) },
      expiresAt: NOW.toISOString(),
    };
  }
  async describe(importId: string) {
    const object = this.objects.get(importId);
    return object && { size: object.bytes.length, contentType: object.contentType };
  }
  async open(importId: string) {
    const bytes = this.objects.get(importId)?.bytes ?? Buffer.alloc(0);
    return Object.assign(
      (async function* () {
        yield bytes;
      })(),
      { destroy: () => undefined },
    );
  }
}

/** Step Functions' rule for execution names: a name it has run is not run again. */
class Jobs implements ImportJobs {
  readonly runs: string[] = [];
  async start(importId: string) {
    if (this.runs.includes(importId)) return 'already_started' as const;
    this.runs.push(importId);
    return 'started' as const;
  }
}

const setup = () => {
  let n = 0;
  const deps = {
    imports: new InMemoryProspects(),
    files: new Bucket(),
    jobs: new Jobs(),
    now: () => NOW,
    newId: () => `import-${++n}`,
  };
  return deps;
};
const chunks: Uint8Array[] = [];
for await (const chunk of generatedCsv(30)) chunks.push(chunk);
const CSV = Buffer.concat(chunks);
const declaration = {
  fileName: 'список.csv',
  contentType: 'text/csv',
  size: CSV.length,
  mapping: GENERATED_MAPPING,
};

describe('the upload and the start of an import', () => {
  it('refuses a declaration with every fault named by its path, and stores nothing', async () => {
    const deps = setup();
    const refused = await declareImport(deps, 'anna', {
      ...declaration,
      size: MAX_IMPORT_BYTES + 1,
      contentType: 'application/vnd.ms-excel',
    }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ImportRequestInvalid);
    expect((refused as ImportRequestInvalid).issues.map((i) => i.path).sort()).toEqual([
      'contentType',
      'size',
    ]);
    const mapping = await declareImport(deps, 'anna', {
      ...declaration,
      mapping: { ИНН: 'inn', Почта: 'mail' },
    }).catch((error: unknown) => error);
    expect((mapping as ImportRequestInvalid).issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['mapping.Почта', 'mapping']),
    );
    expect(deps.imports.imports.size).toBe(0);
  });

  it('starts an uploaded file once, only if it is the file declared, and runs it to the end', async () => {
    const deps = setup();
    const { importId, upload } = await declareImport(deps, 'anna', declaration);
    expect(upload.headers).toEqual({
      'content-type': 'text/csv',
      'content-length': String(declaration.size),
    });
    expect(await startImport(deps, importId)).toEqual({ refused: 'not_uploaded' });
    deps.files.objects.set(importId, {
      bytes: Buffer.concat([CSV, Buffer.from('\n')]),
      contentType: 'text/csv',
    });
    expect(await startImport(deps, importId)).toEqual({ refused: 'upload_mismatch' });
    deps.files.objects.set(importId, { bytes: CSV, contentType: 'text/csv' });

    const first = await startImport(deps, importId);
    const second = await startImport(deps, importId);
    expect([first, second].map((s) => ('started' in s ? s.started.status : s.refused))).toEqual([
      'running',
      'running',
    ]);
    expect(deps.jobs.runs).toEqual([importId]);
    expect(await runImport({ ...deps, keys }, importId, () => false)).toEqual({
      importId,
      status: 'finished',
      done: true,
    });
    // An ended import is read, never run again.
    expect(await runImport({ ...deps, keys }, importId, () => false)).toEqual({
      importId,
      status: 'finished',
      done: true,
    });
    expect((await deps.imports.importState(importId))?.counts).toMatchObject({ rows: 30, created: 30 });
    expect(await startImport(deps, 'import-unknown')).toEqual({ refused: 'not_found' });
  });
  it("ends JSON sent as CSV as failed, at its first line, with the parser's fault", async () => {
    const deps = setup();
    const json = Buffer.from(JSON.stringify([{ ИНН: '7707083893', Компания: 'ПАО Сбербанк' }]));
    const { importId } = await declareImport(deps, 'anna', { ...declaration, size: json.length });
    deps.files.objects.set(importId, { bytes: json, contentType: 'text/csv' });
    await startImport(deps, importId);
    expect(await runImport({ ...deps, keys }, importId, () => false)).toMatchObject({
      status: 'failed',
      done: true,
    });
    const failed = await deps.imports.importState(importId);
    expect(failed?.failure).toMatchObject({ code: 'not_csv', line: 1 });
    expect(failed?.counts.rows).toBe(0);
  });
});
