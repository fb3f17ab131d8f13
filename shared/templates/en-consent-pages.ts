import type { ruConsentPages } from './ru-consent-pages.ts';

/** The page of a link to withdraw a consent, in English: the Russian keys, each translated. */
export const enConsentPages: typeof ruConsentPages = {
  consentWithdrawalPage: {
    title: 'Withdraw consent',
    question: {
      personal_data_processing: 'Withdraw your consent to the processing of your personal data?',
      marketing: "Withdraw your consent to receiving the bank's letters with offers?",
      partner_sharing: "Withdraw your consent to sharing your data with the bank's partners?",
      referrer_notice:
        'Withdraw your consent to the client who recommended the bank being told that your company became a client?',
      all: "Withdraw every consent you gave the bank: to processing your personal data, to letters with offers, to sharing your data with the bank's partners and to telling the client who recommended the bank?",
    },
    button: 'Withdraw consent',
    done: 'Done: your consent was withdrawn on {date}. If it covered letters, the bank will not write to this address with offers again.',
    personalData:
      'Your withdrawal of consent to personal data processing is recorded; the bank will tell you separately what it does with your data.',
    invalid: "This link is not valid. To withdraw a consent, open the link in the bank's letter.",
  },
};
