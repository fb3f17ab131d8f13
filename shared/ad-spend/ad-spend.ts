import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { Attribution } from '../leads/attribution.ts';

/**
 * Advertising spend and cost per lead (docs/web-forms.md). Campaign managers record what a source cost
 * in a month; the leads a source brought are counted as they are captured (their first touch), so the
 * report divides one by the other without reading a lead.
 *
 * The period is a calendar month in Moscow time: the bank's advertising is billed and budgeted by month
 * (the ad platforms' invoices and acts are monthly), one counter per source and month is a fixed number of
 * reads for any report, and months never overlap, so a spend has one natural key and a retried write
 * records it once. A date range would need daily counters and leave two ranges free to overlap.
 */

/** A month as `YYYY-MM`. */
const Month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'A month as YYYY-MM, e.g. 2026-11')
  .meta({ description: 'A calendar month, Moscow time, as YYYY-MM' });

/** A UTM value as sources are counted: trimmed and lower-cased, so `Yandex` and `yandex ` are one source. */
const utmKey = (value: string | undefined): string => (value ?? '').trim().toLowerCase();

const SourceName = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(200)
  .meta({ description: 'The UTM value as the pages carry it (compared trimmed and lower-cased)' });

/**
 * What a cost was for: `advertising` (online: a UTM source's clicks and shows), `event` (a stand, a fee, a
 * presentation: an offline channel), `referral_reward` (what the bank pays clients who recommend it; the
 * reward ledger comes later and will record these itself).
 */
export const COST_KINDS = ['advertising', 'event', 'referral_reward'] as const;
export type CostKind = (typeof COST_KINDS)[number];

/**
 * What a campaign manager records: a source's cost in a month. The same key again replaces the amount. A
 * web source is its UTM values; an offline one its channel id with medium `offline` and the event's name
 * as the campaign, the key its leads are counted under (docs/offline-leads.md).
 */
export const SpendBody = z
  .strictObject({
    month: Month,
    source: SourceName.meta({
      description: '`utm_source` (e.g. yandex, vk, google), or an offline channel id (e.g. exhibition)',
    }),
    medium: SourceName.optional().meta({
      description: '`utm_medium`, or `offline` for an offline channel; absent: the whole source',
    }),
    campaign: SourceName.optional().meta({
      description: "`utm_campaign`, or an offline event's name; absent: every campaign of it",
    }),
    kind: z.enum(COST_KINDS).default('advertising').meta({
      description: 'What the cost was for: `advertising` (the default), `event`, `referral_reward`',
    }),
    amountKopecks: z
      .int()
      .min(0)
      .max(1_000_000_000_000)
      .meta({ description: 'The spend in roubles, as whole kopecks (1 rouble = 100 kopecks)' }),
  })
  .meta({ id: 'AdSpendBody', description: "A source's advertising spend in a month" });
export type SpendBody = z.output<typeof SpendBody>;

/** A cost's key (source, medium, campaign) as 32 hex characters: how events name it without its words. */
export const costKeyOf = (key: Pick<SpendBody, 'source' | 'medium' | 'campaign'>): string =>
  createHash('sha256')
    .update(JSON.stringify([key.source, key.medium ?? '', key.campaign ?? '']))
    .digest('hex')
    .slice(0, 32);

/** A recorded spend: the body's key and amount, and who recorded it when. */
export type Spend = SpendBody & { recordedBy: string; recordedAt: string };

export const SpendView = z
  .strictObject({
    month: Month,
    source: z.string(),
    medium: z.string().nullable(),
    campaign: z.string().nullable(),
    kind: z.enum(COST_KINDS),
    amountKopecks: z.int(),
    recordedBy: z.string(),
    recordedAt: z.iso.datetime(),
  })
  .meta({ id: 'AdSpend', description: "A source's recorded spend in a month" });

export const RecordedSpend = z
  .strictObject({
    spend: SpendView,
    action: z.enum(['created', 'updated', 'unchanged']).meta({
      description: '`unchanged`: the same amount was recorded already (a retried write records once)',
    }),
  })
  .meta({ id: 'RecordedAdSpend' });

export const spendView = (spend: Spend): z.input<typeof SpendView> => ({
  month: spend.month,
  source: spend.source,
  medium: spend.medium ?? null,
  campaign: spend.campaign ?? null,
  // Spends recorded before kinds were all advertising.
  kind: spend.kind ?? 'advertising',
  amountKopecks: spend.amountKopecks,
  recordedBy: spend.recordedBy,
  recordedAt: spend.recordedAt,
});

const bothMonths = (q: { from: string; to: string }) =>
  Month.safeParse(q.from).success && Month.safeParse(q.to).success;

/** The months a report covers: at most a year, `to` not before `from`. */
export const MAX_REPORT_MONTHS = 12;

export const CostReportQuery = z
  .strictObject({
    from: Month,
    to: Month,
    source: SourceName.optional().meta({ description: 'Only this source' }),
  })
  // Checked only once both are months: a bad one is reported at its own field alone.
  .refine((q) => !bothMonths(q) || q.from <= q.to, {
    path: ['to'],
    message: 'The last month is before the first',
  })
  .refine((q) => !bothMonths(q) || monthsBetween(q.from, q.to).length <= MAX_REPORT_MONTHS, {
    path: ['to'],
    message: `At most ${MAX_REPORT_MONTHS} months`,
  })
  .meta({ description: 'The first and last month, and a source' });
export type CostReportQuery = z.output<typeof CostReportQuery>;

/** Every month from `from` to `to`, both included. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.split('-').map(Number) as [number, number];
  for (let at = from; at <= to && months.length <= MAX_REPORT_MONTHS; ) {
    months.push(at);
    month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
    at = `${year}-${String(month).padStart(2, '0')}`;
  }
  return months;
}

const MOSCOW_MONTH = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Moscow',
  year: 'numeric',
  month: '2-digit',
});

/** The calendar month, Moscow time, of an instant. */
export const moscowMonthOf = (iso: string): string => {
  const parts = MOSCOW_MONTH.formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}`;
};

/** Where a new lead is counted: its first touch's UTM source (with medium and campaign) and month. */
export type LeadSourceCount = { month: string; source: string; medium: string; campaign: string };

/** A lead without a UTM source is counted nowhere: no spend can be set against it. */
export function leadSourceCountOf(
  attribution: Pick<Attribution, 'utm'>,
  receivedAt: string,
): LeadSourceCount | undefined {
  const source = utmKey(attribution.utm?.source);
  if (!source) return undefined;
  return {
    month: moscowMonthOf(receivedAt),
    source,
    medium: utmKey(attribution.utm?.medium),
    campaign: utmKey(attribution.utm?.campaign),
  };
}

/**
 * The leads one source, medium and campaign brought in a month, how many of them have converted since, and
 * what meeting them cost one by one (an offline lead's own cost) (the shards of its counter added up).
 */
export type LeadCount = LeadSourceCount & { leads: number; conversions: number; leadCostsKopecks: number };

export const CostReportRow = z
  .strictObject({
    month: Month,
    source: z.string(),
    medium: z.string().nullable().meta({ description: "The spend's medium; null: the whole source" }),
    campaign: z.string().nullable().meta({ description: "The spend's campaign; null: every campaign" }),
    kind: z.enum(COST_KINDS).nullable().meta({ description: 'What the spend was for; null: no spend' }),
    spendKopecks: z
      .int()
      .nullable()
      .meta({ description: 'null: no spend recorded for the source that month' }),
    leads: z
      .int()
      .meta({ description: 'New leads whose first touch had this source (medium, campaign) that month' }),
    leadCostsKopecks: z.int().meta({
      description: "The leads' own costs as recorded with each (an offline lead's `costKopecks`), added up",
    }),
    costPerLeadKopecks: z.int().nullable().meta({
      description:
        "The spend and the leads' own costs over the leads, rounded to a kopeck; null without leads or any cost",
    }),
    conversions: z.int().meta({
      description: "Of those leads, the ones converted since (a manager's `converted` outcome), whenever",
    }),
    costPerConversionKopecks: z.int().nullable().meta({
      description:
        "The spend and the leads' own costs over the conversions, rounded to a kopeck; null without conversions or any cost",
    }),
  })
  .meta({ id: 'CostPerLeadRow' });

export const CostReport = z.strictObject({ from: Month, to: Month, rows: z.array(CostReportRow) }).meta({
  id: 'CostPerLeadReport',
  description:
    'Per month: a row per recorded spend with the leads it matches, and a row per source that brought leads with no spend recorded',
});
export type CostReportRow = z.input<typeof CostReportRow>;

const matches = (spend: SpendBody, count: LeadCount) =>
  count.source === spend.source &&
  (spend.medium === undefined || count.medium === spend.medium) &&
  (spend.campaign === undefined || count.campaign === spend.campaign);

/**
 * One month's rows: each recorded spend with the leads that match its key (a spend without medium or
 * campaign takes every lead of its source), then each source that brought leads but has no spend.
 */
export function costRowsOf(month: string, spends: SpendBody[], counts: LeadCount[]): CostReportRow[] {
  const rows: CostReportRow[] = spends.map((spend) => {
    const matched = counts.filter((c) => matches(spend, c));
    const leads = matched.reduce((sum, c) => sum + c.leads, 0);
    const conversions = matched.reduce((sum, c) => sum + c.conversions, 0);
    const leadCostsKopecks = matched.reduce((sum, c) => sum + c.leadCostsKopecks, 0);
    const cost = spend.amountKopecks + leadCostsKopecks;
    return {
      month,
      source: spend.source,
      medium: spend.medium ?? null,
      campaign: spend.campaign ?? null,
      kind: spend.kind ?? 'advertising',
      spendKopecks: spend.amountKopecks,
      leads,
      leadCostsKopecks,
      costPerLeadKopecks: leads > 0 ? Math.round(cost / leads) : null,
      conversions,
      costPerConversionKopecks: conversions > 0 ? Math.round(cost / conversions) : null,
    };
  });
  const spent = new Set(spends.map((s) => s.source));
  const unspent = new Map<string, { leads: number; conversions: number; leadCostsKopecks: number }>();
  for (const count of counts) {
    if (spent.has(count.source)) continue;
    const sum = unspent.get(count.source) ?? { leads: 0, conversions: 0, leadCostsKopecks: 0 };
    unspent.set(count.source, {
      leads: sum.leads + count.leads,
      conversions: sum.conversions + count.conversions,
      leadCostsKopecks: sum.leadCostsKopecks + count.leadCostsKopecks,
    });
  }
  // No spend recorded: the leads' own costs, if any, are the whole cost.
  const per = (cost: number, n: number) => (cost > 0 && n > 0 ? Math.round(cost / n) : null);
  for (const [source, { leads, conversions, leadCostsKopecks }] of unspent) {
    rows.push({
      month,
      source,
      medium: null,
      campaign: null,
      kind: null,
      spendKopecks: null,
      leads,
      leadCostsKopecks,
      costPerLeadKopecks: per(leadCostsKopecks, leads),
      conversions,
      costPerConversionKopecks: per(leadCostsKopecks, conversions),
    });
  }
  const order = (r: CostReportRow) => `${r.source}\u0000${r.medium ?? ''}\u0000${r.campaign ?? ''}`;
  return rows.sort((a, b) => order(a).localeCompare(order(b)));
}
