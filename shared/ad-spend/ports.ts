import type { CostEventDetail, CostEventType } from '#events/cost-events.ts';
import type { LeadCount, Spend } from './ad-spend.ts';

/**
 * Advertising spend and the leads counted per source (shared/adapters/ad-spend-store.ts; in memory in
 * test/unit/support). The counters are written by lead capture, in its own transaction (Leads.capture).
 */
export interface AdSpends {
  /**
   * Sets a source's spend in a month: `created`, `updated` (another amount was recorded), or `unchanged`
   * (this amount was recorded already, and nothing is written): with the spend as stored.
   */
  record(spend: Spend): Promise<{ action: 'created' | 'updated' | 'unchanged'; spend: Spend }>;
  /** The spends recorded for a month. */
  spendsOf(month: string): Promise<Spend[]>;
  /** The month's new leads by source, medium and campaign. */
  leadCountsOf(month: string): Promise<LeadCount[]>;
}

/** Cost events on the bus (shared/adapters/event-publisher.ts), each checked against its contract. */
export interface CostEvents {
  publish<T extends CostEventType>(type: T, detail: CostEventDetail<T>): Promise<void>;
}
