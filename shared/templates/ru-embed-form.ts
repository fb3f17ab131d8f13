/**
 * What the embeddable form script (shared/http/embed-script.ts) tells a visitor on the bank's site, in
 * Russian: kept beside ru.ts, which spreads it in. Plain text: the script puts it in as text, never as HTML.
 */
export const ruEmbedForm = {
  embedForm: {
    sending: 'Отправляем…',
    leadAccepted: 'Спасибо! Заявка принята: персональный менеджер банка свяжется с вами.',
    registration: {
      confirmed: 'Спасибо! Место за вами: подтверждение придёт на вашу почту.',
      waitlisted: 'Свободных мест пока нет: вы в листе ожидания, мы напишем, если место освободится.',
      offered: 'Для вас освободилось место: подтвердите его по ссылке из письма.',
      cancelled: 'Эта регистрация отменена. Чтобы прийти, зарегистрируйтесь ещё раз.',
    },
    invalid: 'Проверьте отмеченные поля.',
    invalidField: 'Проверьте это поле',
    rateLimited: 'Слишком много попыток подряд. Попробуйте через минуту.',
    tooManyEnquiries: 'Мы уже получили много заявок от вашей компании. Пожалуйста, позвоните в банк.',
    registrationClosed: 'Регистрация на это мероприятие закрыта.',
    notFound: 'Мероприятие не найдено.',
    failed: 'Не удалось отправить форму. Попробуйте ещё раз чуть позже.',
  },
};
