import { randomUUID } from 'node:crypto';
import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
} from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { completeInn10 } from '#shared/leads/inn.ts';
import { call, eventually, sfn, tokens } from './client.ts';

const campaigns = () => tokens()['anna.campaigns'] ?? '';
const MAPPING = { ИНН: 'inn', Компания: 'companyName', 'Контактное лицо': 'contactName', 'E-mail': 'email' };

/** A company's INN in Moscow (77), different on every run. */
const anInn = () => completeInn10(`77${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`);

/** Declares an import of `file` as the console does; answers the created import (201) or the refusal. */
const declare = (file: string | Buffer, overrides: object = {}) =>
  call('POST', '/v1/prospect-imports', {
    token: campaigns(),
    body: {
      fileName: 'проспекты.csv',
      contentType: 'text/csv',
      size: Buffer.byteLength(file),
      mapping: MAPPING,
      ...overrides,
    },
  });

/** The upload, as a browser sends it: PUT to the presigned URL with the headers it was made for. */
const upload = (
  created: { upload: { url: string; headers: Record<string, string> } },
  file: string | Buffer,
) =>
  fetch(created.upload.url, {
    method: 'PUT',
    headers: { 'content-type': created.upload.headers['content-type'] ?? '' },
    body: file,
  });

/**
 * The import once its job's execution (named by the import id) has ended: the execution is watched, not
 * the API, so waiting costs no Lambda invocations beside the job's own.
 */
async function ended(importId: string) {
  const { stateMachines = [] } = await sfn().send(new ListStateMachinesCommand({}));
  const stateMachineArn = stateMachines.find((m) => m.name?.includes('ProspectImport'))?.stateMachineArn;
  const execution = await eventually(async () => {
    const { executions = [] } = await sfn().send(new ListExecutionsCommand({ stateMachineArn }));
    return executions.find((e) => e.name === importId);
  }, `the job of ${importId}`);
  const finished = await eventually(async () => {
    const d = await sfn().send(new DescribeExecutionCommand({ executionArn: execution.executionArn }));
    return d.status === 'RUNNING' ? undefined : d;
  }, `the job of ${importId} to end`);
  // The file's faults end the import, not the job: the job succeeds either way.
  expect(finished.status).toBe('SUCCEEDED');
  return (await call('GET', `/v1/prospect-imports/${importId}`, { token: campaigns() })).body;
}

describe('prospect imports: a presigned upload, then the job', () => {
  it('imports an uploaded CSV: counts, and every rejected row with its line and reasons', async () => {
    const tag = randomUUID().slice(0, 8);
    const first = anInn();
    const csv = [
      'ИНН;Компания;Контактное лицо;E-mail',
      `${first};"ООО ""Ромашка""";Ольга Смирнова;olga.${tag}@romashka.example`,
      `${anInn()};ООО Лютик;Иван Петров;ivan.${tag}@lutik.example`,
      `${anInn()};ООО Василёк;Анна Сидорова;not-an-email`,
      `7700000000;ООО Одуванчик;Пётр Иванов;petr.${tag}@oduvanchik.example`,
      `${first};"ООО ""Ромашка""";Ольга Смирнова;olga.${tag}@romashka.example`,
      `${anInn()};ООО Клевер;Мария Орлова;maria.${tag}@klever.example`,
    ].join('\r\n');

    const created = await declare(csv);
    expect(created.status).toBe(201);
    const { importId } = created.body;
    expect(created.body.upload).toMatchObject({ method: 'PUT', headers: { 'content-type': 'text/csv' } });
    const read = await call('GET', `/v1/prospect-imports/${importId}`, { token: campaigns() });
    expect(read.body).toMatchObject({ status: 'awaiting_upload', file: { name: 'проспекты.csv' } });

    // The console's browser asks first, and the bucket's CORS rules (attract:allowedOrigins) answer.
    const preflight = await fetch(created.body.upload.url, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://127.0.0.1:3000',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'content-type',
      },
    });
    expect([preflight.status, preflight.headers.get('access-control-allow-origin')]).toEqual([
      200,
      'http://127.0.0.1:3000',
    ]);
    expect((await upload(created.body, csv)).status).toBe(200);
    const started = await call('POST', `/v1/prospect-imports/${importId}/start`, { token: campaigns() });
    expect(started.status).toBe(202);
    expect(started.body.status).toBe('running');
    const done = await ended(importId);
    expect(done).toMatchObject({
      status: 'finished',
      counts: { rows: 6, created: 3, known: 0, rejected: 3 },
    });
    // A second start answers the same import and runs nothing again.
    const again = await call('POST', `/v1/prospect-imports/${importId}/start`, { token: campaigns() });
    expect([again.status, again.body.status, again.body.counts]).toEqual([202, 'finished', done.counts]);

    const page = await call('GET', `/v1/prospect-imports/${importId}/rejections?limit=2`, {
      token: campaigns(),
    });
    expect(page.body.rows.map((r: { line: number }) => r.line)).toEqual([4, 5]);
    expect(page.body.rows[0].reasons[0]).toMatchObject({ field: 'email', code: 'invalid_format' });
    expect(page.body.rows[1].reasons[0]).toMatchObject({ field: 'inn', code: 'inn_checksum' });
    const rest = await call(
      'GET',
      `/v1/prospect-imports/${importId}/rejections?limit=2&after=${page.body.next}`,
      {
        token: campaigns(),
      },
    );
    expect(rest.body).toMatchObject({ rows: [{ line: 6, reasons: [{ code: 'duplicate' }] }], next: null });
  });

  it('ends a file that is not CSV as failed with its fault, as the parser reports it', async () => {
    // A spreadsheet (xlsx is a zip) sent as CSV.
    const zip = Buffer.concat([
      Buffer.from('PK\u0003\u0004\u0014\u0000\u0006\u0000', 'latin1'),
      Buffer.alloc(64, 0),
    ]);
    const created = await declare(zip, { fileName: 'проспекты.xlsx' });
    expect((await upload(created.body, zip)).status).toBe(200);
    const started = await call('POST', `/v1/prospect-imports/${created.body.importId}/start`, {
      token: campaigns(),
    });
    expect(started.status).toBe(202);
    const done = await ended(created.body.importId);
    expect(done).toMatchObject({ status: 'failed', failure: { code: 'binary', line: 1 } });
    expect(done.counts.rows).toBe(0);
  });

  it('refuses a wrong mapping, an oversize file and a start before the upload, each with what is at fault', async () => {
    const wrong = await declare('ИНН\n', { mapping: { ИНН: 'inn', Почта: 'mail' } });
    expect(wrong.status).toBe(400);
    const paths = wrong.body.error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['mapping.Почта', 'mapping']));

    const oversize = await declare('ИНН\n', { size: 51 * 1024 * 1024 });
    expect([oversize.status, oversize.body.error.issues.map((i: { path: string }) => i.path)]).toEqual([
      400,
      ['size'],
    ]);

    const created = await declare('ИНН;Компания;Контактное лицо;E-mail\n');
    const early = await call('POST', `/v1/prospect-imports/${created.body.importId}/start`, {
      token: campaigns(),
    });
    expect([early.status, early.body.error.code]).toEqual([409, 'not_uploaded']);

    // Only campaign managers import prospects.
    const byHead = await call('POST', '/v1/prospect-imports', {
      token: tokens()['irina.head'] ?? '',
      body: { fileName: 'x.csv', contentType: 'text/csv', size: 1, mapping: MAPPING },
    });
    expect(byHead.status).toBe(403);
  });
});
