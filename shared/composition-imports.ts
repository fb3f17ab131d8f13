import { randomUUID } from 'node:crypto';
import type { Keys } from './access/keys.ts';
import { S3ImportFiles } from './adapters/import-files.ts';
import { StepFunctionsImportJobs } from './adapters/import-jobs.ts';
import { s3Client } from './clients/s3.ts';
import { sfnClient } from './clients/sfn.ts';
import { prospectImports as imports } from './composition.ts';
import type { RunDeps, UploadDeps } from './prospects/import-upload.ts';
import { setting } from './runtime.ts';

/** Prospect imports: the table, the bucket their files are uploaded to, and the job that imports them. */
const files = () => new S3ImportFiles(s3Client(), setting('importsBucketName'));

/** The import API: declares imports, presigns their uploads, starts the job, reads the report. */
export const uploadDeps = (): UploadDeps => ({
  imports: imports(),
  files: files(),
  jobs: new StepFunctionsImportJobs(sfnClient(), setting('prospectImportStateMachineArn')),
  now: () => new Date(),
  newId: randomUUID,
});

/** The import job's run: the file streamed from the bucket, hashed with the bank's keys. */
export const runDeps = (keys: Keys): RunDeps => ({
  imports: imports(),
  files: files(),
  keys,
  now: () => new Date(),
});
