import * as z from 'zod';
import { parseConfig } from '../config-data.ts';
import v1 from './config/scoring.v1.json' with { type: 'json' };
import { CHANNELS, INDUSTRIES, PRODUCTS, SIZE_BANDS } from './lead-submission.ts';

/** The optional details whose presence makes a lead more complete, and so more workable. */
export const COMPLETENESS_ITEMS = ['phone', 'message', 'website', 'sizeBand', 'industry'] as const;
export type CompletenessItem = (typeof COMPLETENESS_ITEMS)[number];

const Fraction = z.number().min(0).max(1);
// Whole weights keep every factor's rounded points within its weight, so a total never passes 100.
const Weight = z.int().min(0).max(100);
const Threshold = z.number().min(0).max(100);
const EPSILON = 1e-9;

/** A factor read from a table: the value's fraction, or `default` for a value missing or not listed. */
const tableFactor = <K extends z.core.$ZodRecordKey>(keys: K) =>
  z.strictObject({ weight: Weight, fractions: z.partialRecord(keys, Fraction), default: Fraction });

const CompletenessFactor = z.strictObject({
  weight: Weight,
  shares: z
    .strictObject({
      phone: Fraction,
      message: Fraction,
      website: Fraction,
      sizeBand: Fraction,
      industry: Fraction,
    })
    .refine(
      (shares) => Math.abs(sum(Object.values(shares)) - 1) < EPSILON,
      'Completeness shares must sum to 1',
    ),
});

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

export const ScoringConfig = z
  .strictObject({
    version: z.string().min(1).max(100),
    factors: z.strictObject({
      sizeBand: tableFactor(z.enum(SIZE_BANDS)),
      industry: tableFactor(z.enum(INDUSTRIES)),
      region: tableFactor(z.string().regex(/^\d{2}$/, 'Region codes are two digits')),
      products: tableFactor(z.enum(PRODUCTS)),
      channel: tableFactor(z.enum(CHANNELS)),
      completeness: CompletenessFactor,
    }),
    classThresholds: z.strictObject({ key: Threshold, priority: Threshold, standard: Threshold }),
  })
  .superRefine((config, ctx) => {
    const total = sum(Object.values(config.factors).map((f) => f.weight));
    if (Math.abs(total - 100) > EPSILON) {
      ctx.addIssue({
        code: 'custom',
        path: ['factors'],
        message: `Factor weights must sum to 100, not ${total}`,
      });
    }
    const { key, priority, standard } = config.classThresholds;
    if (!(key > priority && priority > standard && standard > 0)) {
      ctx.addIssue({
        code: 'custom',
        path: ['classThresholds'],
        message: 'Thresholds must satisfy key > priority > standard > 0',
      });
    }
  })
  .meta({ id: 'ScoringConfig', description: 'Lead scoring weights and class thresholds, tuned by the bank' });
export type ScoringConfig = z.infer<typeof ScoringConfig>;
export type ScoringFactorName = keyof ScoringConfig['factors'];

/** Validates a scoring configuration; a bad one fails loudly with every offending path. */
export function parseScoringConfig(json: unknown): ScoringConfig {
  return parseConfig(ScoringConfig, json, 'scoring configuration');
}

/** The configuration in force; its version is stored with every score it produced. */
export const scoringConfig: ScoringConfig = parseScoringConfig(v1);
