import * as z from 'zod';

/**
 * The query of an audit trail read newest first (staff reads of a lead, roster changes): a page size,
 * and where the last page stopped, as the `next` it handed out (`<at>#<id>`, the entry's sort key).
 */
export const AuditPageQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(50),
    after: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z#[\w-]{1,128}$/, 'Must be a `next` value from an earlier page')
      .optional(),
  })
  .strict();
