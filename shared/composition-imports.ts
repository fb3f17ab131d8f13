import type { Keys } from './access/keys.ts';
import { S3ImportFiles } from './adapters/import-files.ts';
import { s3Client } from './clients/s3.ts';
import { prospectImports } from './composition.ts';
import type { RunDeps } from './prospects/import-upload.ts';
import { setting } from './runtime.ts';

/** Import files: the bucket they are uploaded to (the import API adds the job: composition-import-api.ts). */
export const importFiles = () => new S3ImportFiles(s3Client(), setting('importsBucketName'));

/** The import job's run: the file streamed from the bucket, hashed with the bank's keys. */
export const runDeps = (keys: Keys): RunDeps => ({
  imports: prospectImports(),
  files: importFiles(),
  keys,
  now: () => new Date(),
});
