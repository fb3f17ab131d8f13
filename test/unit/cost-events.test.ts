import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { COST_EVENTS, CostRecorded, costEventId } from '#events/cost-events.ts';
import { costKeyOf } from '#shared/ad-spend/ad-spend.ts';

const sample = () =>
  JSON.parse(readFileSync(new URL('../../events/samples/costs/CostRecorded.json', import.meta.url), 'utf8'));

type JsonSchema = { type?: string; enum?: unknown[]; const?: unknown; format?: string; pattern?: string };

describe('cost event contracts', () => {
  it('CostRecorded sample satisfies its schema, its id the one costEventId gives it', () => {
    const event = CostRecorded.parse(sample());
    expect(event.eventId).toBe(costEventId(event));
  });

  it('has no string that could carry free text, nor a source or campaign in words', () => {
    for (const schema of Object.values(COST_EVENTS)) {
      const { properties = {} } = z.toJSONSchema(schema) as { properties?: Record<string, JsonSchema> };
      const open = Object.entries(properties).filter(
        ([, s]) => s.type === 'string' && !s.enum && s.const === undefined && !s.format && !s.pattern,
      );
      expect(open).toEqual([]);
      expect(Object.keys(properties)).not.toContain('campaign');
      expect(Object.keys(properties)).not.toContain('source');
    }
    const parsed = CostRecorded.parse({ ...sample(), campaign: 'ужин с Ивановым' });
    expect(parsed).not.toHaveProperty('campaign');
  });

  it('refuses an id that is not its own, and names a key by its hash alone', () => {
    const result = CostRecorded.safeParse({ ...sample(), occurredAt: '2026-12-02T09:20:00.000Z' });
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['eventId']);
    const key = { source: 'exhibition', medium: 'offline', campaign: 'иннопром-2026' };
    expect(costKeyOf(key)).toMatch(/^[0-9a-f]{32}$/);
    expect(costKeyOf(key)).toBe(costKeyOf({ ...key }));
    expect(costKeyOf(key)).not.toBe(costKeyOf({ ...key, campaign: 'цифровая индустрия' }));
  });
});
