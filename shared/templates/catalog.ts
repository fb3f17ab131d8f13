import type { ESCALATION_CAUSES } from '#events/lead-events.ts';
import type { CAMPAIGN_SKIP_REASONS, PauseReason } from '../campaigns/campaign.ts';
import type { DuplicateKey, EnquirySignal, TimelineKind } from '../leads/lead.ts';
import type { Channel, Industry, Product, SizeBand } from '../leads/lead-submission.ts';
import type { LeadClass } from '../leads/scoring.ts';
import type { CompletenessItem, ScoringFactorName } from '../leads/scoring-config.ts';
import type { SkipReason } from '../letters/suppression.ts';
import type { RoutingRule } from '../managers/routing-policy.ts';
import { en } from './en.ts';
import type { Locale } from './locale.ts';
import { ru } from './ru.ts';

/** The forms of a counted phrase, by Intl plural category; `other` is the fallback every language has. */
export type Plural = { plural: { other: string } & Partial<Record<Intl.LDMLPluralRule, string>> };

/** A label for every value of the domain's enums: a value added to an enum without its label does not compile. */
export type Labels = {
  product: Record<Product, string>;
  channel: Record<Channel, string>;
  industry: Record<Industry, string>;
  sizeBand: Record<SizeBand, string>;
  leadClass: Record<LeadClass, string>;
  scoringFactor: Record<ScoringFactorName, string>;
  completenessItem: Record<CompletenessItem, string>;
  matchedBy: Record<DuplicateKey['kind'], string>;
  enquirySignal: Record<EnquirySignal, string>;
  routingRule: Record<RoutingRule, string>;
  escalationCause: Record<(typeof ESCALATION_CAUSES)[number], string>;
  /** Why a campaign stopped sending, as the campaign team reads it. */
  pauseReason: Record<PauseReason, string>;
  /** Why a recipient had no letter: suppression's reasons and the campaign's own. */
  skipReason: Record<SkipReason | (typeof CAMPAIGN_SKIP_REASONS)[number], string>;
};

type Entry = string | Plural | { [key: string]: Entry };

/** What the Russian catalog must satisfy; every other language must then have exactly its keys. */
export type CatalogShape = {
  labels: Labels;
  common: {
    staffTime: string;
    possibleRepeatSubject: string;
    notGiven: string;
    none: string;
    [key: string]: Entry;
  };
  /** A lead's history as people read it: a template (or its variants) for every kind of entry. */
  timeline: Record<TimelineKind, Entry> & { missing: string };
  /** A campaign that paused itself says why: a text for every guard's reason (a person's pause is not told). */
  campaignTeamEmail: { why: Record<Exclude<PauseReason, 'by_manager'>, string>; [key: string]: Entry };
  [section: string]: Entry;
};

/** The catalog's keys with any string or plural forms as values: each language has its own plural categories. */
type Widen<T> = T extends string ? string : T extends Plural ? Plural : { [K in keyof T]: Widen<T[K]> };

/** Russian is the source: a key it has and another language lacks (or the reverse) is a compile error. */
export type Catalog = Widen<typeof ru>;

export const catalogs: Readonly<Record<Locale, Catalog>> = { ru, en };
