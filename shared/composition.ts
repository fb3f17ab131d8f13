import { randomUUID } from 'node:crypto';
import type { Keys } from './access/keys.ts';
import { AudienceStore } from './adapters/audience-store.ts';
import { ConsentStore } from './adapters/consent-store.ts';
import { Directory } from './adapters/directory.ts';
import { LeadReadsStore } from './adapters/lead-reads-store.ts';
import { LeadStore } from './adapters/lead-store.ts';
import { OfferStore } from './adapters/offer-store.ts';
import { ProspectStore } from './adapters/prospect-store.ts';
import { DynamoRateLimiter } from './adapters/rate-limiter.ts';
import { RosterStore } from './adapters/roster-store.ts';
import type { AudienceDeps } from './audiences/keep-audiences.ts';
import { documentClient } from './clients/dynamodb.ts';
import type { CaptureDeps } from './leads/capture-lead.ts';
import { MAX_ENQUIRIES_PER_LEAD } from './leads/enquiry.ts';
import type { Leads } from './leads/ports.ts';
import type { ReadLeadDeps } from './leads/read-lead.ts';
import { scoringConfig } from './leads/scoring-config.ts';
import type { RosterDeps } from './managers/keep-roster.ts';
import type { OfferDeps } from './offers/keep-offers.ts';
import { numericSetting, setting } from './runtime.ts';

/**
 * The one place that wires adapters into the use cases, once per function instance. Handlers take what
 * they need from here; the use cases see only the ports in shared/leads/ports.ts. This module wires the
 * table alone; the wiring that needs another AWS client lives beside it, one module per client
 * (composition-intake.ts, composition-notify.ts, composition-outbox.ts), so a function bundles only the
 * clients its use case calls.
 */
export const leads = (): Leads => new LeadStore(documentClient(), setting('tableName'));

export const leadReads = () => new LeadReadsStore(documentClient(), setting('tableName'));

export const readLeadDeps = (): ReadLeadDeps => ({
  leads: leads(),
  reads: leadReads(),
  now: () => new Date(),
});

export const directory = () => new Directory(documentClient(), setting('tableName'));

/** The public capture path: `keys` come from the key secret, read once per execution environment. */
export const captureDeps = (keys: Keys): CaptureDeps => ({
  leads: leads(),
  referrers: directory(),
  consentTexts: new ConsentStore(documentClient(), setting('tableName')),
  keys,
  rateLimiter: new DynamoRateLimiter(
    documentClient(),
    setting('tableName'),
    numericSetting('leadRateLimitPerMinute'),
  ),
  duplicateWindowDays: numericSetting('duplicateWindowDays'),
  now: () => new Date(),
  newId: randomUUID,
  enquiryLimit: MAX_ENQUIRIES_PER_LEAD,
});

/** The PM unit's roster, kept by the head of unit. */
export const roster = (): RosterDeps => ({
  roster: new RosterStore(documentClient(), setting('tableName')),
  now: () => new Date(),
  newId: randomUUID,
});

/** The offers of targeted letters, written by campaign managers and decided by compliance officers. */
export const offers = (): OfferDeps => ({
  offers: new OfferStore(documentClient(), setting('tableName')),
  now: () => new Date(),
  newId: randomUUID,
});

/** Audiences over the prospects; `keys` hash addresses when a filter reads the send counter. */
export const audiences = (keys: Keys): AudienceDeps => {
  const store = new AudienceStore(documentClient(), setting('tableName'));
  return {
    audiences: store,
    prospects: store,
    lastContacts: store,
    keys,
    scoring: scoringConfig,
    now: () => new Date(),
    newId: randomUUID,
  };
};

/** The audiences alone, for the freezing job's failure step, which needs no key. */
export const audienceRecords = () => ({
  audiences: new AudienceStore(documentClient(), setting('tableName')),
  now: () => new Date(),
});
/** Prospects and their imports (composition-imports.ts adds the bucket and the import job). */
export const prospectImports = () => new ProspectStore(documentClient(), setting('tableName'));

/** The import job's failure path: marks the import failed. */
export const abandonDeps = () => ({ imports: prospectImports(), now: () => new Date() });
