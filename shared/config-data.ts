import type * as z from 'zod';
import { formatIssues } from './leads/lead-submission.ts';

/**
 * Config the bank tunes is data checked by its schema (DESIGN.md rule 4): a bad file fails loudly, when
 * the function loads, with every offending path, before it can drive a single decision.
 */
export function parseConfig<S extends z.ZodType>(schema: S, json: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const details = formatIssues(parsed.error).map((i) => `${i.path || '(root)'}: ${i.message}`);
  throw new Error(`Invalid ${what}: ${details.join('; ')}`);
}
