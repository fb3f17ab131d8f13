import type { ruEmbedForm } from './ru-embed-form.ts';

/** The embeddable form script's texts in English, key for key with ru-embed-form.ts. */
export const enEmbedForm: typeof ruEmbedForm = {
  embedForm: {
    sending: 'Sending…',
    leadAccepted: 'Thank you! We have your enquiry: a personal manager of the bank will contact you.',
    registration: {
      confirmed: 'Thank you! Your seat is kept: a confirmation is on its way to your email.',
      waitlisted: 'No seats are free yet: you are on the waiting list, and we will write if one frees up.',
      offered: 'A seat has freed up for you: take it from the link in our email.',
      cancelled: 'This registration is cancelled. To come, please register again.',
    },
    invalid: 'Please check the marked fields.',
    invalidField: 'Please check this field',
    rateLimited: 'Too many attempts in a row. Please try again in a minute.',
    tooManyEnquiries: 'We already have many enquiries from your company. Please call the bank.',
    registrationClosed: 'Registration for this event is closed.',
    notFound: 'No such event.',
    failed: 'The form could not be sent. Please try again a little later.',
  },
};
