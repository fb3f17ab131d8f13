import { type Catalog, catalogs, type Plural } from './catalog.ts';
import { DEFAULT_LOCALE, type Locale, STAFF_TIME_ZONE } from './locale.ts';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Everything a prospect typed is untrusted: it is escaped before it goes into anyone's mailbox. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);

/** HTML we built ourselves from escaped parts: the only value `html` inserts as it is. */
export type Markup = { readonly markup: string };
export const markup = (html: string): Markup => ({ markup: html });

export type TextVars = Readonly<Record<string, string | number>>;
export type HtmlVars = Readonly<Record<string, string | number | Markup>>;

const PLACEHOLDER = /\{(\w+)\}/g;

/** Fills `{name}` placeholders; a placeholder without a value is a bug in the caller, never a blank. */
function fill<V>(
  template: string,
  vars: Readonly<Record<string, V>>,
  literal: (text: string) => string,
  value: (v: V) => string,
): string {
  let out = '';
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? '';
    const v = vars[name];
    if (v === undefined) throw new Error(`The template "${template}" needs a value for {${name}}`);
    out += literal(template.slice(last, match.index)) + value(v);
    last = match.index + match[0].length;
  }
  return out + literal(template.slice(last));
}

/** The names of a template's placeholders, so catalogs can be checked to agree across languages. */
export const placeholdersOf = (template: string): string[] =>
  [...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '').sort();

/** One language's catalog with the Intl formatting that goes with it. */
export type Templates = {
  locale: Locale;
  catalog: Catalog;
  /** Plain text (an email's text part, a subject): nothing is escaped. */
  text(template: string, vars?: TextVars): string;
  /** HTML: the template and every value are escaped, except Markup we built ourselves. */
  html(template: string, vars?: HtmlVars): string;
  /**
   * HTML whose template is markup already checked by a policy (an offer's body, shared/offers/html-policy.ts):
   * the template is kept as it is, every value is escaped.
   */
  checkedHtml(template: string, vars?: TextVars): string;
  /** The plural form the language needs for n (ru: 1 лид, 2 лида, 5 лидов), with {count} filled in. */
  count(plural: Plural, n: number): string;
  number(n: number): string;
  /**
   * A moment as staff read it: a long date and time with the zone named, in the reader's own time zone
   * (a manager's, from the roster) or the staff time zone (Moscow, named as staff say it).
   */
  dateTime(iso: string, timeZone?: string): string;
  /** Items joined as the language joins a list (ru: «А, Б и В»); no items read as the word for none. */
  list(items: readonly string[]): string;
};

const cache = new Map<Locale, Templates>();

const zonedFormats = new Map<string, Intl.DateTimeFormat>();
/** A long date and time in another zone, named by its offset (GMT+10), as Intl writes it in the language. */
function zoned(locale: Locale, timeZone: string): Intl.DateTimeFormat {
  const key = `${locale} ${timeZone}`;
  let format = zonedFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone,
      timeZoneName: 'shortOffset',
    });
    zonedFormats.set(key, format);
  }
  return format;
}

export function templatesFor(locale: Locale = DEFAULT_LOCALE): Templates {
  const cached = cache.get(locale);
  if (cached) return cached;
  const catalog = catalogs[locale];
  const plurals = new Intl.PluralRules(locale);
  const numbers = new Intl.NumberFormat(locale, { maximumFractionDigits: 4 });
  const dates = new Intl.DateTimeFormat(locale, {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: STAFF_TIME_ZONE,
  });
  const lists = new Intl.ListFormat(locale, { type: 'conjunction' });
  const plain = (v: string | number) => (typeof v === 'number' ? numbers.format(v) : v);
  const text = (template: string, vars: TextVars = {}) => fill(template, vars, (s) => s, plain);

  const templates: Templates = {
    locale,
    catalog,
    text,
    html: (template, vars = {}) =>
      fill(template, vars, escapeHtml, (v) => (typeof v === 'object' ? v.markup : escapeHtml(plain(v)))),
    checkedHtml: (template, vars = {}) =>
      fill(
        template,
        vars,
        (s) => s,
        (v) => escapeHtml(plain(v)),
      ),
    count: (plural, n) => {
      const forms: Partial<Record<Intl.LDMLPluralRule, string>> = plural.plural;
      return text(forms[plurals.select(n)] ?? plural.plural.other, { count: n });
    },
    number: (n) => numbers.format(n),
    dateTime: (iso, timeZone = STAFF_TIME_ZONE) =>
      timeZone === STAFF_TIME_ZONE
        ? text(catalog.common.staffTime, { dateTime: dates.format(new Date(iso)) })
        : zoned(locale, timeZone).format(new Date(iso)),
    list: (items) => (items.length ? lists.format(items) : catalog.common.none),
  };
  cache.set(locale, templates);
  return templates;
}
