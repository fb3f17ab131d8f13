import * as z from 'zod';
import { ConfigVersion, ReasonCode } from '#events/lead-events.ts';
import { parseConfig } from '../config-data.ts';
import type { Locale } from '../templates/locale.ts';
import v1 from './config/outcomes.v1.json' with { type: 'json' };

/**
 * The reasons a personal manager picks from when declining a lead or recording it lost: data the bank
 * tunes (config/outcomes.v1.json), checked when the module loads. Events carry the code and this file's
 * version, never the label or the manager's own words, so a consumer reads the label from the version it
 * names and no free text (which may name a person) ever leaves the lead.
 */
const Label = z.string().trim().min(1).max(100);

export const OutcomeReason = z.strictObject({
  code: ReasonCode,
  label: z.strictObject({ ru: Label, en: Label } satisfies Record<Locale, typeof Label>),
});
export type OutcomeReason = z.infer<typeof OutcomeReason>;

/** A list a manager picks from: at least one reason, each code once (a code names one reason for good). */
const ReasonList = z
  .array(OutcomeReason)
  .min(1)
  .max(50)
  .superRefine((reasons, ctx) => {
    const seen = new Set<string>();
    reasons.forEach((reason, i) => {
      if (seen.has(reason.code)) {
        ctx.addIssue({ code: 'custom', path: [i, 'code'], message: `Duplicate reason code ${reason.code}` });
      }
      seen.add(reason.code);
    });
  });

export const OutcomesConfig = z
  .strictObject({
    version: ConfigVersion,
    declineReasons: ReasonList,
    lostReasons: ReasonList,
  })
  .meta({ id: 'OutcomesConfig', description: 'Reasons for declining a lead and for a lost lead' });
export type OutcomesConfig = z.infer<typeof OutcomesConfig>;

export type ReasonKind = 'decline' | 'lost';

/** Validates an outcomes configuration; a bad one fails loudly with every offending path. */
export function parseOutcomesConfig(json: unknown): OutcomesConfig {
  return parseConfig(OutcomesConfig, json, 'outcomes configuration');
}

/** The configuration in force; its version goes with every decline and loss recorded by it. */
export const outcomesConfig: OutcomesConfig = parseOutcomesConfig(v1);

const listOf = (config: OutcomesConfig, kind: ReasonKind) =>
  kind === 'decline' ? config.declineReasons : config.lostReasons;

/**
 * What the API accepts with a decline or a loss: a code from the configured list and, optionally, the
 * manager's own words. The note is kept on the lead (it may name people) and never put in an event.
 */
export function reasonInput(kind: ReasonKind, config: OutcomesConfig = outcomesConfig) {
  const codes = listOf(config, kind).map((r) => r.code);
  return z.strictObject({
    reasonCode: z.string().refine((code) => codes.includes(code), {
      message: `One of: ${codes.join(', ')}`,
    }),
    note: z.string().trim().min(1).max(2000).optional(),
  });
}
export type ReasonInput = z.infer<ReturnType<typeof reasonInput>>;

/** The reason's label in the reader's language; undefined for a code the list does not hold. */
export function reasonLabel(
  kind: ReasonKind,
  code: string,
  locale: Locale,
  config: OutcomesConfig = outcomesConfig,
): string | undefined {
  return listOf(config, kind).find((r) => r.code === code)?.label[locale];
}
