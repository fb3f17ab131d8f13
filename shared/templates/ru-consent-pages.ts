/**
 * The page a person's link to withdraw a consent opens (shared/consents/withdrawal-page.ts), in Russian:
 * kept beside ru.ts, which spreads it in, so the catalog stays one shape and each file stays small.
 */
export const ruConsentPages = {
  consentWithdrawalPage: {
    title: 'Отзыв согласия',
    question: {
      personal_data_processing: 'Отозвать согласие на обработку персональных данных?',
      marketing: 'Отозвать согласие на получение писем банка с предложениями?',
      partner_sharing: 'Отозвать согласие на передачу ваших данных партнёрам банка?',
      all: 'Отозвать все согласия, данные банку: на обработку персональных данных, на письма с предложениями и на передачу данных партнёрам?',
    },
    button: 'Отозвать согласие',
    done: 'Готово: согласие отозвано {date}. Банк больше не будет писать вам с предложениями на этот адрес, если отзыв касался писем.',
    personalData:
      'Отзыв согласия на обработку персональных данных записан; о том, что банк сделает с вашими данными, он сообщит отдельно.',
    invalid: 'Ссылка недействительна. Чтобы отозвать согласие, откройте ссылку из письма банка.',
  },
};
