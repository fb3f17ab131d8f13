import { regionCodeOfInn } from './inn.ts';
import type { Lead } from './lead.ts';
import type { Channel, Industry, Product, SizeBand } from './lead-submission.ts';
import { COMPLETENESS_ITEMS, type ScoringConfig, type ScoringFactorName } from './scoring-config.ts';

export const LEAD_CLASSES = ['key', 'priority', 'standard', 'unqualified'] as const;
export type LeadClass = (typeof LEAD_CLASSES)[number];

/** One line of an explainable score: what was seen, what it was worth, and why. */
export type ScoreFactor = {
  factor: ScoringFactorName;
  value: string;
  weight: number;
  fraction: number;
  points: number;
  explanation: string;
};

/** How a factor's value is stored when nothing was given, and how several values are joined: emails read them back. */
export const FACTOR_VALUE = { notGiven: 'not given', none: 'none', separator: ', ' } as const;

export type Score = { total: number; configVersion: string; breakdown: ScoreFactor[] };

export type ScoringInput = {
  sizeBand?: SizeBand;
  industry?: Industry;
  regionCode: string;
  products: readonly Product[];
  channel: Channel;
  hasPhone: boolean;
  hasMessage: boolean;
  hasWebsite: boolean;
};

/** Takes only what scoring reads from a stored lead; the channel is the one the bank attributed. */
export function scoringInputOf(
  submission: Pick<Lead, 'company' | 'contact' | 'products' | 'message' | 'attribution'>,
): ScoringInput {
  const { company, contact } = submission;
  return {
    ...(company.sizeBand ? { sizeBand: company.sizeBand } : {}),
    ...(company.industry ? { industry: company.industry } : {}),
    regionCode: regionCodeOfInn(company.inn),
    products: submission.products,
    channel: submission.attribution.channel,
    hasPhone: Boolean(contact.phone),
    hasMessage: Boolean(submission.message?.trim()),
    hasWebsite: Boolean(company.website),
  };
}

const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;

function factor(
  name: ScoringFactorName,
  value: string,
  weight: number,
  fraction: number,
  label: string,
): ScoreFactor {
  const f = round(fraction, 4);
  return {
    factor: name,
    value,
    weight,
    fraction: f,
    points: round(weight * f, 1),
    explanation: `${label}: ${f} of ${weight}`,
  };
}

type Table<K extends string> = { weight: number; fractions: Partial<Record<K, number>>; default: number };

function fromTable<K extends string>(table: Table<K>, value: K | undefined): number {
  return (value === undefined ? undefined : table.fractions[value]) ?? table.default;
}

/** Scores a lead 0..100 as the sum of weighted factors; pure, so a stored score can be recomputed and explained. */
export function scoreLead(input: ScoringInput, config: ScoringConfig): Score {
  const { factors } = config;
  const region = factors.region.fractions[input.regionCode];
  const products = input.products.join(FACTOR_VALUE.separator) || FACTOR_VALUE.none;
  const present = {
    phone: input.hasPhone,
    message: input.hasMessage,
    website: input.hasWebsite,
    sizeBand: input.sizeBand !== undefined,
    industry: input.industry !== undefined,
  };
  const given = COMPLETENESS_ITEMS.filter((item) => present[item]);

  const breakdown = [
    factor(
      'sizeBand',
      input.sizeBand ?? FACTOR_VALUE.notGiven,
      factors.sizeBand.weight,
      fromTable(factors.sizeBand, input.sizeBand),
      `Company size ${input.sizeBand ?? FACTOR_VALUE.notGiven}`,
    ),
    factor(
      'industry',
      input.industry ?? FACTOR_VALUE.notGiven,
      factors.industry.weight,
      fromTable(factors.industry, input.industry),
      `Industry ${input.industry ?? FACTOR_VALUE.notGiven}`,
    ),
    factor(
      'region',
      input.regionCode,
      factors.region.weight,
      region ?? factors.region.default,
      `Region ${input.regionCode}${region === undefined ? ' (not a listed region)' : ''}`,
    ),
    factor(
      'products',
      products,
      factors.products.weight,
      // Several products add up, but interest cannot be worth more than the factor's weight.
      Math.min(
        1,
        input.products.reduce((sum, p) => sum + fromTable(factors.products, p), 0),
      ),
      `Products ${products}`,
    ),
    factor(
      'channel',
      input.channel,
      factors.channel.weight,
      fromTable(factors.channel, input.channel),
      `Channel ${input.channel}`,
    ),
    factor(
      'completeness',
      given.join(FACTOR_VALUE.separator) || FACTOR_VALUE.none,
      factors.completeness.weight,
      Math.min(
        1,
        given.reduce((sum, item) => sum + factors.completeness.shares[item], 0),
      ),
      `Optional details given: ${given.join(FACTOR_VALUE.separator) || FACTOR_VALUE.none}`,
    ),
  ];
  const total = round(
    breakdown.reduce((sum, f) => sum + f.points, 0),
    1,
  );
  return { total, configVersion: config.version, breakdown };
}

/** The class a total earns: the highest threshold it reaches. */
export function classifyLead(total: number, config: ScoringConfig): LeadClass {
  const { key, priority, standard } = config.classThresholds;
  if (total >= key) return 'key';
  if (total >= priority) return 'priority';
  if (total >= standard) return 'standard';
  return 'unqualified';
}
