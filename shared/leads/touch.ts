import type { Attribution } from './attribution.ts';
import type { Enquiry, Lead } from './lead.ts';

/**
 * One time the prospect reached the bank, as the bank attributed it: the channel and campaign it
 * established, with the UTM values and pages the form sent. Like UTM values, touches decide nothing.
 */
export type Touch = Pick<Attribution, 'channel' | 'campaignId' | 'utm' | 'referrer' | 'landingPage'> & {
  at: string;
  /** The enquiry that made this touch; none for the lead's own, first one. */
  enquiryId?: string;
};

function touchOf(attribution: Attribution, at: string, enquiryId?: string): Touch {
  const { channel, campaignId, utm, referrer, landingPage } = attribution;
  return {
    at,
    channel,
    ...(campaignId ? { campaignId } : {}),
    ...(utm ? { utm } : {}),
    ...(referrer ? { referrer } : {}),
    ...(landingPage ? { landingPage } : {}),
    ...(enquiryId ? { enquiryId } : {}),
  };
}

/** The first touch is what the lead was captured with: its attribution, which never changes. */
export const firstTouchOf = (lead: Pick<Lead, 'attribution' | 'receivedAt'>): Touch =>
  touchOf(lead.attribution, lead.receivedAt);

/** A later enquiry's touch: the lead's last touch, unless a later one is recorded already. */
export const enquiryTouchOf = (enquiry: Pick<Enquiry, 'attribution' | 'receivedAt' | 'enquiryId'>): Touch =>
  touchOf(enquiry.attribution, enquiry.receivedAt, enquiry.enquiryId);

/**
 * Where a touch stands in time: its time, then its enquiry id for touches of one millisecond. A touch
 * replaces the recorded last touch only with a greater order, so a late or repeated write never moves the
 * last touch back.
 */
export const touchOrder = (touch: Touch): string => `${touch.at}#${touch.enquiryId ?? ''}`;
