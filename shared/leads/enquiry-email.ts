import type { PersonalManager } from '../managers/roster.ts';
import { type Fact, factsHtml, factsText, paragraph } from '../templates/email.ts';
import { escapeHtml, markup, templatesFor } from '../templates/render.ts';
import type { Enquiry, EnquirySignal, Lead } from './lead.ts';
import { type NotificationMark, notificationEmail } from './manager-email.ts';
import type { Email } from './ports.ts';

/**
 * Tells a lead's personal manager that the company (or someone giving its INN or the contact's email)
 * enquired again: who, what they asked, through which channel. When the person or the company differs
 * from the first enquiry both are shown side by side with a line to check who is who before calling, so
 * a stranger who gave a well-known INN first cannot pass as the company, nor the company be taken for them.
 */
export function enquiryNotification(
  lead: Lead,
  enquiry: Enquiry,
  manager: PersonalManager,
  mark?: NotificationMark,
): Email {
  const t = templatesFor(manager.language);
  const e = t.catalog.enquiryEmail;
  const { labels, common } = t.catalog;
  const has = (signal: EnquirySignal) => enquiry.signals.includes(signal);
  const person = (c: Lead['contact']) => t.text(common.person, { name: c.name, email: c.email });

  const differences = [
    has('new_contact') && t.text(e.newContact, { now: person(enquiry.contact), first: person(lead.contact) }),
    has('other_company_name') &&
      t.text(e.otherCompanyName, { now: enquiry.company.name, first: lead.company.name }),
    has('other_inn') && t.text(e.otherInn, { now: enquiry.company.inn, first: lead.company.inn }),
  ].filter((d): d is string => typeof d === 'string');
  // Any of these means the enquiry may come from someone other than whoever made the first one.
  const toCheck = differences.length > 0;

  const contact = [enquiry.contact.name, enquiry.contact.position].filter(Boolean).join(', ');
  const products = t.list(enquiry.products.map((p) => labels.product[p]));
  const added = enquiry.products.filter((p) => !lead.products.includes(p)).map((p) => labels.product[p]);
  const facts: Fact[] = [
    [e.facts.contact, has('new_contact') ? t.text(e.newContactPerson, { contact }) : contact],
    [e.facts.email, enquiry.contact.email],
    [e.facts.phone, enquiry.contact.phone],
    [e.facts.company, enquiry.company.name],
    [e.facts.inn, enquiry.company.inn],
    [
      e.facts.products,
      added.length ? t.text(e.productsWithNew, { products, added: t.list(added) }) : products,
    ],
    [e.facts.message, enquiry.message],
    [e.facts.channel, labels.channel[enquiry.attribution.channel]],
    [e.facts.receivedAt, t.dateTime(enquiry.receivedAt, manager.workingHours.timeZone)],
    [e.facts.leadId, lead.leadId],
    [e.facts.enquiryId, enquiry.enquiryId],
  ];
  const greeting = { manager: manager.name, company: lead.company.name };
  const matched = t.text(e.matchedBy, { keys: t.list(enquiry.matchedBy.map((k) => labels.matchedBy[k])) });

  const warningHtml = toCheck
    ? `<p><strong>${escapeHtml(e.differs)}</strong></p>
<ul>${differences.map((d) => `<li>${escapeHtml(d)}</li>`).join('')}</ul>
<p><strong>${escapeHtml(e.checkBeforeCalling)}</strong></p>`
    : '';
  const warningText = toCheck
    ? [e.differs, ...differences.map((d) => `- ${d}`), e.checkBeforeCalling, '']
    : [];

  return notificationEmail(
    t,
    {
      to: manager.email,
      subject: t.text(toCheck ? e.subjectToCheck : e.subject, { company: lead.company.name }),
      htmlBody: [
        `<p>${t.html(e.greeting, { ...greeting, company: markup(`<strong>${escapeHtml(lead.company.name)}</strong>`) })}</p>`,
        ...(toCheck ? [warningHtml] : []),
        paragraph(matched),
        factsHtml(facts),
      ].join('\n'),
      textLines: [t.text(e.greeting, greeting), '', ...warningText, matched, '', ...factsText(facts)],
      repeatWarning: e.possibleRepeat,
    },
    mark,
  );
}
