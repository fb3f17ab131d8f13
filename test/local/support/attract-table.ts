import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describeLocalApp, synthesizeTemplates } from '#local/assembly.ts';
import { freePort, type LocalProcess, startDynamoDbLocal } from '#local/processes.ts';

export const LOCAL_AWS = {
  region: 'eu-central-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
};

/**
 * DynamoDB Local with the Attract table exactly as the synthesized template defines it (keys, indexes),
 * so adapter tests run against the one definition the deployed app uses.
 */
export async function startAttractTable(): Promise<{
  process: LocalProcess;
  documentClient: DynamoDBDocumentClient;
  tableName: string;
  stop: () => Promise<void>;
}> {
  const outdir = mkdtempSync(path.join(tmpdir(), 'attract-table-'));
  const app = describeLocalApp(synthesizeTemplates({}, outdir), LOCAL_AWS.region);
  rmSync(outdir, { recursive: true, force: true });
  const [table] = app.tables;
  if (!table?.TableName) throw new Error('The synthesized app has no table');
  const process = await startDynamoDbLocal({ port: await freePort() });
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint: process.endpoint });
  await client.send(new CreateTableCommand(table));
  const documentClient = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return {
    process,
    documentClient,
    tableName: table.TableName,
    stop: async () => {
      client.destroy();
      await process.stop();
    },
  };
}
