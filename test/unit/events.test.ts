import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LEAD_EVENTS, type LeadEventType } from '#events/lead-events.ts';

const sample = (type: string) =>
  JSON.parse(readFileSync(new URL(`../../events/samples/${type}.json`, import.meta.url), 'utf8'));

describe('lead event contracts', () => {
  it.each(Object.keys(LEAD_EVENTS) as LeadEventType[])('%s sample satisfies its schema', (type) => {
    expect(LEAD_EVENTS[type].safeParse(sample(type)).success).toBe(true);
  });

  it('rejects an event without its version or with personal data fields', () => {
    const { version: _version, ...unversioned } = sample('LeadCaptured');
    expect(LEAD_EVENTS.LeadCaptured.safeParse(unversioned).success).toBe(false);
    const parsed = LEAD_EVENTS.LeadCaptured.parse({ ...sample('LeadCaptured'), contactEmail: 'a@b.example' });
    expect(parsed).not.toHaveProperty('contactEmail');
  });
});
