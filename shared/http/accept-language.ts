import { DEFAULT_LOCALE, LOCALES, type Locale } from '../templates/locale.ts';

/** One language range of an `Accept-Language` header with its weight, in the order the client sent it. */
export type LanguageRange = { range: string; q: number };

// RFC 9110 §12.5.4: a language range (RFC 4647 §2.1) with an optional weight of at most three decimals.
const RANGE = /^(\*|[a-z]{1,8}(-[a-z0-9]{1,8})*)$/i;
const WEIGHT = /^q=(0(\.\d{0,3})?|1(\.0{0,3})?)$/i;

/**
 * The ranges of an `Accept-Language` header, as sent. A malformed element (a bad range or weight) is
 * skipped, as a server may ignore what it cannot read; the rest still count.
 */
export function parseAcceptLanguage(header: string | undefined): LanguageRange[] {
  if (!header) return [];
  const ranges: LanguageRange[] = [];
  for (const element of header.split(',')) {
    const [range = '', ...params] = element.split(';').map((part) => part.trim());
    if (!RANGE.test(range)) continue;
    // Only a weight may follow a language range; an element with another parameter is malformed.
    const weight = params.length === 1 ? WEIGHT.exec(params[0]?.replace(/\s*=\s*/, '=') ?? '') : undefined;
    if (params.length > 1 || weight === null) continue;
    ranges.push({ range: range.toLowerCase(), q: weight ? Number(weight[1]) : 1 });
  }
  return ranges;
}

/**
 * How closely a range names a language: the language itself (`en`) beats one of its regional forms
 * (`en-GB`, read as English, which is all Attract has), which beats the wildcard; 0 when it does not.
 */
function specificity(range: string, locale: Locale): number {
  if (range === locale) return 3;
  if (range.startsWith(`${locale}-`)) return 2;
  return range === '*' ? 1 : 0;
}

/**
 * The language a person asked to read Attract in: of the languages Attract has, the one the header
 * weights highest (each language weighted by the range that names it most closely, so `ru;q=0, *` is
 * anything but Russian); a tie goes to the range sent first, then to Russian. Russian when the header is
 * missing, or accepts none of them.
 */
export function preferredLocale(header: string | undefined): Locale {
  const ranges = parseAcceptLanguage(header);
  const ranked = LOCALES.flatMap((locale) => {
    let best: { q: number; specificity: number; order: number } | undefined;
    ranges.forEach(({ range, q }, order) => {
      const s = specificity(range, locale);
      if (s > 0 && (!best || s > best.specificity || (s === best.specificity && q > best.q)))
        best = { q, specificity: s, order };
    });
    return best && best.q > 0 ? [{ locale, ...best }] : [];
  });
  ranked.sort((a, b) => b.q - a.q || a.order - b.order);
  return ranked[0]?.locale ?? DEFAULT_LOCALE;
}
