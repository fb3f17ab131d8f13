import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { embedScript } from '#shared/http/embed-script.ts';
import { en } from '#shared/templates/en.ts';
import { ru } from '#shared/templates/ru.ts';

describe("the bank site's form script", () => {
  it('is one script that compiles, with the texts of both catalogs and no literal of its own', () => {
    const script = embedScript();
    expect(() => new Script(script)).not.toThrow();
    expect(script).not.toContain('__TEXTS__');
    for (const texts of [ru.embedForm, en.embedForm]) {
      expect(script).toContain(JSON.stringify(texts.leadAccepted));
      expect(script).toContain(JSON.stringify(texts.registration.waitlisted));
    }
  });

  it('puts nothing into HTML: every text is set as text', () => {
    expect(embedScript()).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });
});
