/** The languages a person can read Attract in; Russian is the bank's and the default (DESIGN.md rule 8). */
export const LOCALES = ['ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'ru';

/** Staff work on Moscow time: every date shown to them is in this zone, whatever the server's. */
export const STAFF_TIME_ZONE = 'Europe/Moscow';
