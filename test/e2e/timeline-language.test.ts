import { describe, expect, it } from 'vitest';
import { call, headToken } from './client.ts';
import { leadFrom, unitOf } from './regions.ts';

type Entry = { kind: string; summary: string; details?: Record<string, unknown> };

const summaries = (entries: Entry[]) => Object.fromEntries(entries.map((e) => [e.kind, e.summary]));

describe("a lead's history in the reader's language", () => {
  it('reads in Russian by default and in English when Accept-Language prefers it, the entries themselves the same', async () => {
    // Prepare: region 82's one manager, at work round the clock, is offered its web lead.
    const [manager] = await unitOf('82', 1);
    const { leadId } = await leadFrom('82');
    const managerId = manager?.managerId;

    // Act
    const russian = await call('GET', `/v1/leads/${leadId}`, { token: headToken() });
    const english = await call('GET', `/v1/leads/${leadId}`, {
      token: headToken(),
      headers: { 'accept-language': 'en-GB,en;q=0.9,ru;q=0.5' },
    });
    const page = await call('GET', `/v1/leads/${leadId}/timeline?limit=2`, {
      token: headToken(),
      headers: { 'accept-language': 'en' },
    });

    // Assess: the language is said, and the texts are in it, whatever language the manager reads.
    expect(russian.status).toBe(200);
    expect(russian.headers['content-language']).toBe('ru');
    expect(english.headers['content-language']).toBe('en');
    expect(page.headers['content-language']).toBe('en');

    const ru = summaries(russian.body.timeline);
    expect(ru.received).toBe('Поступила заявка, канал привлечения: Заявка на сайте');
    expect(ru.assessed).toMatch(/^Оценка [\d,]+ из 100: (ключевой|приоритетный|стандартный) лид$/);
    expect(ru.assigned).toContain(
      `Лид назначен персональному менеджеру ${managerId} (лучше всех подходит и имеет свободные места), предложение № 1`,
    );
    expect(ru.assigned).toMatch(/ответить нужно до \d+ [а-я]+ \d{4} г\. в \d\d:\d\d \(МСК\)$/);
    expect(ru.manager_notified).toBe(`Персональному менеджеру ${managerId} отправлено письмо о лиде`);

    const en = summaries(english.body.timeline);
    expect(en.received).toBe('Enquiry received, channel: Website form');
    expect(en.assessed).toMatch(/^Scored [\d.]+ of 100: (key|priority|standard) lead$/);
    expect(en.assigned).toContain(
      `Assigned to personal manager ${managerId} (the best fit with free capacity), offer 1`,
    );
    expect(en.assigned).toMatch(/answer due by [A-Z][a-z]+ \d+, \d{4} at .+ \(Moscow time\)$/);
    expect(en.manager_notified).toBe(`Personal manager ${managerId} notified by email`);

    // Only the texts differ: the same entries, kinds and details, in the same order.
    const withoutTexts = (entries: Entry[]) => entries.map(({ summary, ...entry }) => entry);
    expect(withoutTexts(english.body.timeline)).toEqual(withoutTexts(russian.body.timeline));
    expect(page.body.entries.map((e: Entry) => e.summary)).toEqual([en.received, en.assessed]);
  });
});
