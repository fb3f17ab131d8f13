import type { Enquiry, TimelineEntry } from '#shared/leads/lead.ts';
import type { NewEnquiry } from '#shared/leads/ports.ts';
import { enquiryTouchOf } from '#shared/leads/touch.ts';

/** A later enquiry to keep, with its timeline entry and touch as capture makes them. */
export function newEnquiryOf(enquiry: Enquiry, extra: Partial<NewEnquiry> = {}): NewEnquiry {
  const entry: TimelineEntry = { at: enquiry.receivedAt, kind: 'touch' };
  return { enquiry, entry, touch: enquiryTouchOf(enquiry), limit: 10, ...extra };
}
