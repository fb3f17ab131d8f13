import { randomUUID } from 'node:crypto';
import { importJobs, NamedExecutions } from './adapters/workflow-starter.ts';
import { sfnClient } from './clients/sfn.ts';
import { prospectImports } from './composition.ts';
import { importFiles } from './composition-imports.ts';
import type { UploadDeps } from './prospects/import-upload.ts';
import { setting } from './runtime.ts';

/** The import API: declares imports, presigns their uploads, starts the job (Step Functions), reads reports. */
export const uploadDeps = (): UploadDeps => ({
  imports: prospectImports(),
  files: importFiles(),
  jobs: importJobs(new NamedExecutions(sfnClient(), setting('prospectImportStateMachineArn'))),
  now: () => new Date(),
  newId: randomUUID,
});
