import { randomUUID } from 'node:crypto';
import { Keys } from '#shared/access/keys.ts';
import type { CaptureDeps } from '#shared/leads/capture-lead.ts';
import { MAX_ENQUIRIES_PER_LEAD } from '#shared/leads/enquiry.ts';
import { type InMemoryBank, InMemoryRateLimiter } from './in-memory.ts';
import { InMemoryConsents } from './in-memory-consents.ts';

/** Keys from a fixed test secret: hashes and signed links are the same on every run. */
export const TEST_KEYS = Keys.derive('attract-test-key-material-0123456789abcdef');

/** The capture path over the in-memory bank, as shared/composition.ts wires it over the table. */
export function captureDepsOf(
  bank: InMemoryBank,
  clock: { now: () => Date },
  perMinute = 100,
  consentTexts = InMemoryConsents.withDemoTexts(),
): CaptureDeps {
  return {
    leads: bank.leads,
    referrers: bank.referrers,
    consentTexts,
    keys: TEST_KEYS,
    rateLimiter: new InMemoryRateLimiter(perMinute),
    duplicateWindowDays: 30,
    now: clock.now,
    newId: randomUUID,
    enquiryLimit: MAX_ENQUIRIES_PER_LEAD,
  };
}
