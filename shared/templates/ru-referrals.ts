/**
 * The referral programme's texts in Russian (docs/referrals.md): the referrer's status page and its email
 * when a referred company becomes a client. Kept beside ru.ts, which spreads it in.
 */
export const ruReferrals = {
  referralStatusPage: {
    title: 'Ваши рекомендации',
    intro: 'Компании, которые пришли в банк по рекомендации {client}, и что с ними сейчас.',
    none: 'Пока ни одна компания не пришла по вашей рекомендации.',
    company: 'Компания',
    state: 'Статус',
    status: {
      referred: 'Заявка получена',
      flagged: 'На проверке',
      rejected: 'Не засчитана',
      converted: 'Стала клиентом банка',
    },
    invalid: 'Ссылка недействительна. Попросите у своего персонального менеджера новую ссылку.',
  },
  referralConvertedEmail: {
    subject: 'Компания по вашей рекомендации стала клиентом банка',
    body: 'Здравствуйте! Компания «{company}», пришедшая по рекомендации {client}, стала клиентом банка. Спасибо за рекомендацию.',
    status: 'Все ваши рекомендации: {link}',
    statusLink: 'посмотреть статусы',
  },
};
