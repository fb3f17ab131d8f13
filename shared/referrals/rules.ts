import * as z from 'zod';
import { parseConfig } from '../config-data.ts';
import v1 from './config/referral-rules.v1.json' with { type: 'json' };

/**
 * The referral programme's attribution rules (issue 10, item 2): data the bank tunes, checked when the
 * function loads. A change is a new file with a new version; every referral keeps the version that judged it.
 */
export const ReferralRules = z
  .strictObject({
    version: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,99}$/),
    /** The first valid code a company came with wins for this long: a later code is ignored, with its reason. */
    firstCodeWindowDays: z.int().min(1).max(3650),
    /** More leads than this from one code in one day (UTC) are flagged as code farming. */
    farming: z.strictObject({ maxLeadsPerCodePerDay: z.int().min(1).max(1000) }),
    /** Flag a prospect whose email domain is the referrer's own. */
    flagSameEmailDomain: z.boolean(),
    /** Flag a prospect of the referrer's own company group. */
    flagSameGroup: z.boolean(),
  })
  .meta({ id: 'ReferralRules', description: "The referral programme's attribution rules" });
export type ReferralRules = z.infer<typeof ReferralRules>;

export const parseReferralRules = (json: unknown): ReferralRules =>
  parseConfig(ReferralRules, json, 'referral rules');

/** The rules in force (config/referral-rules.v1.json). */
export const referralRules = parseReferralRules(v1);
