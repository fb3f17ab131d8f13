import type { Locale } from './locale.ts';
import { escapeHtml } from './render.ts';

/** One line of an email's facts table: a label from the catalog and a value, left out when absent. */
export type Fact = readonly [label: string, value: string | undefined];

const given = (facts: readonly Fact[]) => facts.filter((f): f is [string, string] => Boolean(f[1]));

/** The facts that have a value, as a table; labels and values are escaped alike. */
export const factsHtml = (facts: readonly Fact[]): string =>
  `<table>${given(facts)
    .map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join('')}</table>`;

export const factsText = (facts: readonly Fact[]): string[] => given(facts).map(([k, v]) => `${k}: ${v}`);

/** A paragraph of text that is escaped as a whole: no markup can come from what it holds. */
export const paragraph = (text: string): string => `<p>${escapeHtml(text)}</p>`;

export const htmlDocument = (locale: Locale, body: string): string =>
  `<!doctype html><html lang="${locale}"><body style="font-family:sans-serif">\n${body}\n</body></html>`;
