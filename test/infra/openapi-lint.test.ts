import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '#shared/http/openapi.ts';

type Problem = { ruleId: string; severity: string; message: string; location?: { pointer?: string }[] };

// Redocly CLI is one bundle with no Node API of its own; it runs here as `npx redocly lint` would.
const redocly = resolve('node_modules/.bin/redocly');
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'attract-openapi-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function lint(document: object): Promise<Problem[]> {
  const file = join(dir, 'openapi.json');
  await writeFile(file, JSON.stringify(document));
  // Lint exits 1 when it finds errors; the findings are on stdout either way.
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [redocly, 'lint', file, '--config', resolve('redocly.yaml'), '--format', 'json'],
    { env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
  ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  return (JSON.parse(stdout) as { problems: Problem[] }).problems;
}

const readable = (problems: Problem[]) =>
  problems.map((p) => `${p.severity} ${p.ruleId} at ${p.location?.[0]?.pointer}: ${p.message}`);

describe('the generated API description', () => {
  it("passes Redocly's recommended rules with no errors and no warnings", async () => {
    // Warnings too: there are none today, so a new one is a regression worth a look.
    expect(readable(await lint(openApiDocument()))).toEqual([]);
  });

  it('is linted for real: a route without its operation id or security is reported', async () => {
    const document = openApiDocument();
    const submit = document.paths?.['/v1/leads']?.post;
    if (submit) {
      delete submit.operationId;
      delete submit.security;
    }
    expect(readable(await lint(document))).toEqual([
      expect.stringMatching(/^error security-defined at #\/paths\/~1v1~1leads\/post/),
      expect.stringMatching(/^warn operation-operationId at #\/paths\/~1v1~1leads\/post/),
    ]);
  });
});
