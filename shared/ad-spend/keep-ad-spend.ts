import { formatIssues } from '../leads/lead-submission.ts';
import {
  type CostReportQuery,
  type CostReportRow,
  costRowsOf,
  monthsBetween,
  type Spend,
  SpendBody,
} from './ad-spend.ts';
import type { AdSpends } from './ports.ts';

export type AdSpendDeps = { spends: AdSpends; now: () => Date };

export type RecordAnswer =
  | { kind: 'invalid'; issues: { path: string; message: string }[] }
  | { kind: 'recorded'; spend: Spend; action: 'created' | 'updated' | 'unchanged' };

/** A campaign manager records a source's spend in a month; the same key again sets the amount anew. */
export async function recordSpend(deps: AdSpendDeps, by: string, body: unknown): Promise<RecordAnswer> {
  const parsed = SpendBody.safeParse(body);
  if (!parsed.success) return { kind: 'invalid', issues: formatIssues(parsed.error) };
  const spend: Spend = { ...parsed.data, recordedBy: by, recordedAt: deps.now().toISOString() };
  return { kind: 'recorded', ...(await deps.spends.record(spend)) };
}

/** Spend, leads and cost per lead per source, month by month: two reads a month, whatever the leads. */
export async function costPerLead(deps: AdSpendDeps, query: CostReportQuery): Promise<CostReportRow[]> {
  const months = await Promise.all(
    monthsBetween(query.from, query.to).map(async (month) => {
      const [spends, counts] = await Promise.all([
        deps.spends.spendsOf(month),
        deps.spends.leadCountsOf(month),
      ]);
      const only = <T extends { source: string }>(items: T[]) =>
        query.source ? items.filter((i) => i.source === query.source) : items;
      return costRowsOf(month, only(spends), only(counts));
    }),
  );
  return months.flat();
}
