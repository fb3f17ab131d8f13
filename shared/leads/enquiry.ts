import type { DuplicateKey, Enquiry, EnquirySignal, Lead, Submitted, TimelineEntry } from './lead.ts';

/** The most later enquiries one lead keeps within its duplicate window; past it, the form is told to call. */
export const MAX_ENQUIRIES_PER_LEAD = 100;

/** A company name as people vary it: case, quotes and spacing do not make it another name. */
const comparableName = (name: string) =>
  name
    .toLowerCase()
    .replace(/[«»"'“”„`]/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * What sets `next` apart from the lead's first enquiry. A stranger who used a well-known INN first and
 * the real company writing later show up as different contacts (and perhaps names), never as one.
 */
export function enquirySignals(
  first: Pick<Lead, 'company' | 'contact' | 'products' | 'message'>,
  next: Pick<Lead, 'company' | 'contact' | 'products' | 'message'>,
): EnquirySignal[] {
  const signals: EnquirySignal[] = [];
  if (
    next.contact.email !== first.contact.email ||
    comparableName(next.contact.name) !== comparableName(first.contact.name)
  ) {
    signals.push('new_contact');
  }
  const message = next.message?.trim();
  if (message && message !== first.message?.trim()) signals.push('new_message');
  const sameProducts =
    next.products.length === first.products.length && next.products.every((p) => first.products.includes(p));
  if (!sameProducts) signals.push('other_products');
  if (comparableName(next.company.name) !== comparableName(first.company.name)) {
    signals.push('other_company_name');
  }
  if (next.company.inn !== first.company.inn) signals.push('other_inn');
  return signals;
}

/** A submission whose email or INN `first` holds, as the enquiry that lead keeps. */
export function enquiryOf(
  first: Lead,
  submitted: Submitted,
  matchedBy: DuplicateKey['kind'][],
  enquiryId: string,
): Enquiry {
  return {
    enquiryId,
    leadId: first.leadId,
    receivedAt: submitted.receivedAt,
    company: submitted.company,
    contact: submitted.contact,
    products: submitted.products,
    ...(submitted.message !== undefined ? { message: submitted.message } : {}),
    consents: submitted.consents,
    attribution: submitted.attribution,
    ...(submitted.offline ? { offline: submitted.offline } : {}),
    matchedBy,
    signals: enquirySignals(first, submitted),
  };
}

/** The lead's timeline line for a later enquiry: what the PM needs to see at a glance. */
export function enquiryEntry(enquiry: Enquiry): TimelineEntry {
  const { channel, campaignId } = enquiry.attribution;
  return {
    at: enquiry.receivedAt,
    kind: 'touch',
    details: {
      enquiryId: enquiry.enquiryId,
      channel,
      ...(campaignId ? { campaignId } : {}),
      matchedBy: enquiry.matchedBy,
      signals: enquiry.signals,
      products: enquiry.products,
    },
  };
}
