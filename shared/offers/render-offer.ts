import type { Prospect } from '../prospects/prospect.ts';
import { DEFAULT_LOCALE, type Locale } from '../templates/locale.ts';
import { templatesFor } from '../templates/render.ts';
import type { LetterContent, OfferVariable, OfferVersion } from './offer.ts';

/** Who signs a letter: the person the prospect answers (the send slice takes them from the campaign). */
export type Signatory = { name: string; email: string; phone: string };

/** Every variable's value for one recipient, as it is, before any escaping. */
export type OfferRecipient = Readonly<Record<OfferVariable, string>>;

export const recipientOf = (
  prospect: Pick<Prospect, 'company' | 'contact'>,
  signatory: Signatory,
): OfferRecipient => ({
  company: prospect.company.name,
  contact: prospect.contact.name,
  manager: signatory.name,
  managerEmail: signatory.email,
  managerPhone: signatory.phone,
});

/**
 * A letter for one recipient. `html` is the body as the author wrote it with the values escaped, nothing
 * added: the send slice puts it in the document (`htmlDocument`) and adds, from the template catalogs, the
 * unsubscribe link to the bodies and the List-Unsubscribe headers (issue 8, item 6). `version` and `hash`
 * go with every send, so what was sent is known to be exactly the approved content.
 */
export type RenderedOffer = {
  offerId: string;
  version: number;
  hash: string;
  language: Locale;
  subject: string;
  html: string;
  text: string;
};

/** The language a letter is in: the prospect's, when the version has it; otherwise Russian, which all have. */
export function letterLanguage(version: Pick<OfferVersion, 'content'>, language: Locale): Locale {
  return language !== DEFAULT_LOCALE && version.content[language] ? language : DEFAULT_LOCALE;
}

/**
 * Fills a version's templates for a recipient with the PM emails' mechanism (shared/templates/render.ts):
 * values are HTML-escaped in the HTML body, plain in the text body, and on one line in the subject.
 */
export function renderOffer(
  version: Pick<OfferVersion, 'offerId' | 'version' | 'hash' | 'content'>,
  recipient: OfferRecipient,
  language: Locale = DEFAULT_LOCALE,
): RenderedOffer {
  const chosen = letterLanguage(version, language);
  const letter = version.content[chosen] as LetterContent;
  const t = templatesFor(chosen);
  const oneLine = Object.fromEntries(Object.entries(recipient).map(([k, v]) => [k, v.replace(/\s+/g, ' ')]));
  return {
    offerId: version.offerId,
    version: version.version,
    hash: version.hash,
    language: chosen,
    subject: t.text(letter.subject, oneLine),
    html: t.checkedHtml(letter.html, recipient),
    text: t.text(letter.text, recipient),
  };
}

/** What a reviewer sees for a sample recipient: exactly the letter that recipient would get. */
export const previewOffer = (
  version: Pick<OfferVersion, 'offerId' | 'version' | 'hash' | 'content'>,
  sample: OfferRecipient,
  language: Locale = DEFAULT_LOCALE,
): RenderedOffer => renderOffer(version, sample, language);
