/**
 * The subjects of the Russian Federation by the two-digit code the tax service gives them: the first two
 * digits of an INN issued there (shared/leads/inn.ts, regionCodeOfInn), and the region codes a roster and
 * the scoring config use. Each code has the IANA time zone of its administrative centre: nearly every
 * subject keeps one zone, so a prospect's letters keep to its quiet hours without a zone in the file.
 * Sakha (14) spans three zones and Sakhalin (65) two; they get the zone of the capital. Codes 80-88 are
 * autonomous districts merged into their neighbours since 2005 (their companies keep INNs that start with
 * them) and carry the zone of the subject they joined. 99 (Baikonur and other territories) is a known code
 * without a zone of its own: a prospect there is written to on Moscow time, the bank's default.
 */
const MOSCOW = 'Europe/Moscow';
const YEKATERINBURG = 'Asia/Yekaterinburg';
const KRASNOYARSK = 'Asia/Krasnoyarsk';
const IRKUTSK = 'Asia/Irkutsk';
const VLADIVOSTOK = 'Asia/Vladivostok';
const YAKUTSK = 'Asia/Yakutsk';
const KAMCHATKA = 'Asia/Kamchatka';
const CHITA = 'Asia/Chita';

/** Regions away from Moscow time; every other code of REGION_CODES is on Moscow time. */
const ZONES: Readonly<Record<string, string>> = {
  '02': YEKATERINBURG, // Bashkortostan
  '03': IRKUTSK, // Buryatia
  '04': 'Asia/Barnaul', // Altai Republic
  '14': YAKUTSK, // Sakha (Yakutia), its capital's zone
  '17': KRASNOYARSK, // Tuva
  '18': 'Europe/Samara', // Udmurtia
  '19': KRASNOYARSK, // Khakassia
  '22': 'Asia/Barnaul', // Altai Krai
  '24': KRASNOYARSK, // Krasnoyarsk Krai
  '25': VLADIVOSTOK, // Primorsky Krai
  '27': VLADIVOSTOK, // Khabarovsk Krai
  '28': YAKUTSK, // Amur Oblast (tz database: Asia/Yakutsk covers it)
  '30': 'Europe/Astrakhan',
  '34': 'Europe/Volgograd',
  '38': IRKUTSK, // Irkutsk Oblast
  '39': 'Europe/Kaliningrad',
  '41': KAMCHATKA, // Kamchatka Krai
  '42': 'Asia/Novokuznetsk', // Kemerovo Oblast
  '43': 'Europe/Kirov',
  '45': YEKATERINBURG, // Kurgan
  '49': 'Asia/Magadan',
  '54': 'Asia/Novosibirsk',
  '55': 'Asia/Omsk',
  '56': YEKATERINBURG, // Orenburg
  '59': YEKATERINBURG, // Perm Krai
  '63': 'Europe/Samara',
  '64': 'Europe/Saratov',
  '65': 'Asia/Sakhalin', // Sakhalin Oblast, its capital's zone
  '66': YEKATERINBURG, // Sverdlovsk
  '70': 'Asia/Tomsk',
  '72': YEKATERINBURG, // Tyumen
  '73': 'Europe/Ulyanovsk',
  '74': YEKATERINBURG, // Chelyabinsk
  '75': CHITA, // Zabaykalsky Krai
  '79': VLADIVOSTOK, // Jewish Autonomous Oblast
  '80': CHITA, // former Agin-Buryat district, now Zabaykalsky Krai
  '81': YEKATERINBURG, // former Komi-Permyak district, now Perm Krai
  '82': KAMCHATKA, // former Koryak district, now Kamchatka Krai
  '84': KRASNOYARSK, // former Taymyr district, now Krasnoyarsk Krai
  '85': IRKUTSK, // former Ust-Orda Buryat district, now Irkutsk Oblast
  '86': YEKATERINBURG, // Khanty-Mansi
  '87': 'Asia/Anadyr', // Chukotka
  '88': KRASNOYARSK, // former Evenk district, now Krasnoyarsk Krai
  '89': YEKATERINBURG, // Yamalo-Nenets
  '91': 'Europe/Simferopol', // Crimea
  '92': 'Europe/Simferopol', // Sevastopol
};

/** 01-89 (with the merged districts), the codes given since 2014 (90-95) and 99; 00 and 96-98 are no region. */
export const REGION_CODES: readonly string[] = [
  ...Array.from({ length: 95 }, (_, i) => String(i + 1).padStart(2, '0')),
  '99',
];
const KNOWN = new Set(REGION_CODES);

export const isRegionCode = (code: string): boolean => KNOWN.has(code);

/** The zone a prospect in the region is written to in when the file names none. */
export function timeZoneOfRegion(code: string): string {
  if (!KNOWN.has(code)) throw new RangeError(`not a region code: ${code}`);
  return ZONES[code] ?? MOSCOW;
}
