import type { Context } from 'aws-lambda';
import { Keys } from '#shared/access/keys.ts';
import { keyMaterial } from '#shared/adapters/secrets.ts';
import { runDeps } from '#shared/composition-imports.ts';
import { runImport } from '#shared/prospects/import-upload.ts';

// The key secret is read once, while the execution environment starts: a missing grant fails the init.
const deps = runDeps(Keys.derive(await keyMaterial()));
/** Time kept back at the end of a run: the last batch's writes and checkpoint, and the answer. */
const MARGIN_MS = 60_000;

/** ProspectImport job: one run of the import, paused at a checkpoint well before the Lambda's timeout. */
export const handler = async (event: { importId: string }, context: Context) =>
  runImport(deps, event.importId, () => context.getRemainingTimeInMillis() < MARGIN_MS);
