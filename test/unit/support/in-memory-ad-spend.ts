import { COST_EVENTS, type CostEventDetail, type CostEventType } from '#events/cost-events.ts';
import type { LeadCount, Spend } from '#shared/ad-spend/ad-spend.ts';
import type { AdSpends, CostEvents } from '#shared/ad-spend/ports.ts';
import type { InMemoryBank } from './in-memory.ts';
import { copy } from './in-memory-leads.ts';

/** The ad-spend port in memory: spends by their natural key, and the bank's lead counters. */
export class InMemoryAdSpends implements AdSpends {
  readonly spends = new Map<string, Spend>();
  private readonly bank: InMemoryBank;
  constructor(bank: InMemoryBank) {
    this.bank = bank;
  }

  async record(spend: Spend): Promise<{ action: 'created' | 'updated' | 'unchanged'; spend: Spend }> {
    const key = JSON.stringify([spend.month, spend.source, spend.medium ?? '', spend.campaign ?? '']);
    const stored = this.spends.get(key);
    if (stored?.amountKopecks === spend.amountKopecks && stored.kind === spend.kind)
      return { action: 'unchanged', spend: copy(stored) };
    this.spends.set(key, copy(spend));
    return { action: stored ? 'updated' : 'created', spend };
  }

  async spendsOf(month: string): Promise<Spend[]> {
    return [...this.spends.values()].filter((s) => s.month === month).map(copy);
  }

  async leadCountsOf(month: string): Promise<LeadCount[]> {
    return [...this.bank.leadCounts.values()].filter((c) => c.month === month).map(copy);
  }
}

/** Keeps every cost event, checked against its contract as the EventBridge adapter checks it. */
export class RecordedCostEvents implements CostEvents {
  readonly published: { type: CostEventType; detail: Record<string, unknown> }[] = [];

  async publish<T extends CostEventType>(type: T, detail: CostEventDetail<T>): Promise<void> {
    this.published.push({ type, detail: COST_EVENTS[type].parse(detail) });
  }
}
