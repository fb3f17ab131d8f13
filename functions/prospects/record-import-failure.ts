import { abandonDeps } from '#shared/composition.ts';
import { abandonImport } from '#shared/prospects/import-upload.ts';

const deps = abandonDeps();

/** ProspectImport job's failure path: the import is recorded as failed with the error that stopped it. */
export const handler = async (event: { importId: string; error?: string }) => {
  await abandonImport(deps, event.importId, event.error ?? 'unknown error');
  return { importId: event.importId };
};
