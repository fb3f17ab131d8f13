import type { ruReferrals } from './ru-referrals.ts';

/** The referral programme's texts in English: the Russian keys, each translated. */
export const enReferrals: typeof ruReferrals = {
  referralStatusPage: {
    title: 'Your referrals',
    intro: 'The companies that came to the bank on the recommendation of {client}, and where they stand.',
    none: 'No company has come on your recommendation yet.',
    company: 'Company',
    state: 'Status',
    status: {
      referred: 'Enquiry received',
      flagged: 'Under review',
      rejected: 'Not counted',
      converted: "Became the bank's client",
    },
    invalid: 'This link is not valid. Ask your personal manager for a new link.',
  },
  referralConvertedEmail: {
    subject: "A company you recommended became the bank's client",
    body: "Hello! {company}, which came on the recommendation of {client}, became the bank's client. Thank you for recommending us.",
    status: 'All your referrals: {link}',
    statusLink: 'see their statuses',
  },
};
