import { costEventId } from '#events/cost-events.ts';
import { formatIssues } from '../leads/lead-submission.ts';
import { offlineChannelOf } from '../leads/offline-channels.ts';
import {
  type CostReportQuery,
  type CostReportRow,
  costKeyOf,
  costRowsOf,
  monthsBetween,
  type Spend,
  SpendBody,
} from './ad-spend.ts';
import type { AdSpends, CostEvents } from './ports.ts';

export type AdSpendDeps = { spends: AdSpends; events: CostEvents; now: () => Date };

export type RecordAnswer =
  | { kind: 'invalid'; issues: { path: string; message: string }[] }
  | { kind: 'recorded'; spend: Spend; action: 'created' | 'updated' | 'unchanged' };

/** A campaign manager records a source's spend in a month; the same key again sets the amount anew. */
export async function recordSpend(deps: AdSpendDeps, by: string, body: unknown): Promise<RecordAnswer> {
  const parsed = SpendBody.safeParse(body);
  if (!parsed.success) return { kind: 'invalid', issues: formatIssues(parsed.error) };
  const spend: Spend = { ...parsed.data, recordedBy: by, recordedAt: deps.now().toISOString() };
  const recorded = await deps.spends.record(spend);
  // Announced from what is stored: a retried write (`unchanged`) announces the same fact under the same id,
  // so an announcement lost after the write is sent by the retry, and a consumer drops a repeat.
  const stored = recorded.spend;
  const costKey = costKeyOf(stored);
  await deps.events.publish('CostRecorded', {
    eventId: costEventId({ month: stored.month, costKey, occurredAt: stored.recordedAt }),
    version: 1,
    occurredAt: stored.recordedAt,
    month: stored.month,
    costKey,
    kind: stored.kind ?? 'advertising',
    ...(stored.medium === 'offline' && offlineChannelOf(stored.source)
      ? { offlineChannel: stored.source }
      : {}),
    amountKopecks: stored.amountKopecks,
  });
  return { kind: 'recorded', ...recorded };
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
