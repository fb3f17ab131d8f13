import type { Keys } from '../access/keys.ts';
import type { Email } from '../leads/ports.ts';
import { LETTER_TAGS } from '../letters/letter-events.ts';
import { letterResponseLink, responseFooter } from '../letters/response-link.ts';
import { unsubscribeFor } from '../letters/unsubscribe.ts';
import type { OfferVersion } from '../offers/offer.ts';
import { recipientOf, renderOffer } from '../offers/render-offer.ts';
import type { Prospect } from '../prospects/prospect.ts';
import { htmlDocument } from '../templates/email.ts';
import type { Campaign } from './campaign.ts';

/**
 * The SES tags every letter carries: SES puts them on each of the letter's events (delivery, bounce,
 * complaint), so the events find the campaign, the step and the recipient's record. Ids only.
 */
export const letterTags = (campaignId: string, step: number, prospectId: string): Record<string, string> => ({
  [LETTER_TAGS.campaign]: campaignId,
  [LETTER_TAGS.step]: String(step),
  // A send is one recipient's letter of one step: its record is named by the prospect.
  [LETTER_TAGS.send]: prospectId,
});

/**
 * One recipient's letter: the approved version filled in for them (values escaped), the "request a call"
 * link (a signed invitation that makes a `letter` lead of the campaign), the unsubscribe paragraph, both in
 * the letter's language, the RFC 8058 headers, and the tags. The content is exactly the version's: the
 * caller got it by its number and hash (`versionForSending`).
 */
export async function composeLetter(
  deps: { keys: Keys; apiUrl: string; now: () => Date },
  campaign: Pick<Campaign, 'campaignId' | 'signatory'>,
  step: number,
  version: Pick<OfferVersion, 'offerId' | 'version' | 'hash' | 'content'>,
  prospect: Pick<Prospect, 'prospectId' | 'company' | 'contact' | 'language'>,
  addressHash: string,
): Promise<Email> {
  const letter = renderOffer(version, recipientOf(prospect, campaign.signatory), prospect.language);
  const unsubscribe = await unsubscribeFor(
    deps.keys,
    deps.apiUrl,
    { addressHash, campaignId: campaign.campaignId, step },
    letter.language,
  );
  const respond = responseFooter(
    letter.language,
    await letterResponseLink(
      deps.keys,
      deps.apiUrl,
      { campaignId: campaign.campaignId, prospectId: prospect.prospectId, step },
      deps.now(),
    ),
  );
  return {
    to: prospect.contact.email,
    subject: letter.subject,
    html: htmlDocument(letter.language, `${letter.html}\n${respond.html}\n${unsubscribe.footer.html}`),
    text: `${letter.text}\n\n${respond.text}\n\n${unsubscribe.footer.text}\n`,
    headers: Object.fromEntries(unsubscribe.headers.map(({ Name, Value }) => [Name, Value])),
    tags: letterTags(campaign.campaignId, step, prospect.prospectId),
  };
}
