import type { ruLetterPages } from './ru-letter-pages.ts';

/** The pages a letter's links open, in English: the Russian keys, each translated. */
export const enLetterPages: typeof ruLetterPages = {
  unsubscribePage: {
    title: "Unsubscribe from the bank's letters",
    question: "Stop receiving the bank's letters with offers at this address?",
    button: 'Unsubscribe',
    done: 'Done: you have unsubscribed. The bank will not write to you at this address with offers again.',
    invalid: "This link is not valid. To unsubscribe, open the 'unsubscribe' link in the bank's letter.",
  },
  letterResponse: {
    title: 'Request a call from a manager',
    intro:
      'Check your details: a bank manager will call you about the offer. If anything has changed, correct it.',
    companyName: 'Company',
    inn: 'INN (taxpayer number)',
    contactName: 'Contact person',
    email: 'Email',
    phone: 'Phone, as +74951234567',
    products: 'What interests you',
    message: 'Message (optional)',
    consent: 'I agree to the processing of my personal data so that the bank can answer this request.',
    button: 'Request a call',
    errors: 'Please check these fields:',
    fieldError: 'Check the field "{field}".',
    consentField: 'Consent to personal data processing',
    otherField: 'Request',
    done: 'Thank you! Your request is received; a bank manager will be in touch.',
    refused: {
      invalid: "This link is not valid. Please use the form on the bank's website.",
      expired: "This link has expired. Please use the form on the bank's website.",
    },
    rateLimited: 'Too many requests from your address. Please try again in a minute.',
    enquiryLimit: 'The bank has had many enquiries about this company: it has them all and will be in touch.',
    unsubscribe: "Don't want the bank's letters with offers? {link}",
    unsubscribeLink: 'Unsubscribe',
  },
};
