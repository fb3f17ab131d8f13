import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoEnquiry } from '#local/demo-data.ts';
import { startLocalRuntime } from '#local/runtime.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'attract-data-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the local runtime with a data directory (ATTRACT_DATA_DIR)', () => {
  it('keeps the leads across a restart', async () => {
    // Prepare: a lead captured by a first run.
    const first = await startLocalRuntime({ dataDir });
    let leadId = '';
    try {
      const reply = await fetch(`${first.urls.api}/v1/leads`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(demoEnquiry()),
      });
      expect(reply.status).toBe(202);
      leadId = ((await reply.json()) as { leadId: string }).leadId;
    } finally {
      await first.stop();
    }

    // Act: a second run on the same directory.
    const second = await startLocalRuntime({ dataDir });
    try {
      const read = await fetch(`${second.urls.api}/v1/leads/${leadId}`, {
        headers: { authorization: `Bearer ${second.tokens['irina.head']}` },
      });
      // Assess
      expect(read.status).toBe(200);
      expect(((await read.json()) as { leadId: string }).leadId).toBe(leadId);
    } finally {
      await second.stop();
    }
  });
});
