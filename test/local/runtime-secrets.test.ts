import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, describe, expect, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '#local/runtime.ts';
import { ENV } from '#shared/environment.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'attract-data-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** The key as this run of the runtime gives it to CaptureLead: the ARN in its variables, and its value. */
async function keyOf(runtime: LocalRuntime): Promise<{ arn: string; value: string }> {
  const arn = runtime.app.functions.find((fn) => fn.logicalId.startsWith('LeadIntakeCaptureLead'))
    ?.environment[ENV.keysSecretArn];
  if (!arn) throw new Error(`CaptureLead has no ${ENV.keysSecretArn}`);
  const client = new SecretsManagerClient({
    region: 'eu-central-1',
    endpoint: runtime.urls.secretsManager,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const answer = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    return { arn, value: answer.SecretString ?? '' };
  } finally {
    client.destroy();
  }
}

describe('the key secret in the local runtime with a data directory (ATTRACT_DATA_DIR)', () => {
  it('serves the generated key under the ARN CaptureLead is given, the same after a restart', async () => {
    // Prepare: a first run generates the key.
    const first = await startLocalRuntime({ dataDir, demoData: false });
    const before = await keyOf(first).finally(() => first.stop());

    // Act: a second run on the same directory.
    const second = await startLocalRuntime({ dataDir, demoData: false });
    const after = await keyOf(second).finally(() => second.stop());

    // Assess: hashes keyed with it would still match.
    expect(before.value).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(after).toEqual(before);
  }, 180_000); // two full starts (synthesis, bundles, DynamoDB Local) on a shared two-core machine
});
