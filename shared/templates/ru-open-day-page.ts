/**
 * The page an open day registrant's email links open (shared/open-days/registration-page.ts), in Russian:
 * kept beside ru.ts, which spreads it in, so the catalog stays one shape and each file stays small.
 */
export const ruOpenDayPage = {
  openDayPage: {
    greeting: 'Здравствуйте, {name}!',
    /** A moment or a span in the open day's time zone, the zone named: people may come from another one. */
    zoned: '{dateTime} ({zone}, {offset})',
    facts: {
      when: 'Когда',
      where: 'Где',
    },
    onlineVenue: 'онлайн, по ссылке ниже',
    online: 'Ссылка для подключения: {link}',
    state: {
      confirmed: 'Место за вами: ждём вас.',
      waitlisted: 'Все места заняты, и вы в листе ожидания. Если место освободится, мы сразу напишем вам.',
      offered: 'Освободилось место, и мы держим его для вас до {until}.',
      offerRanOut: 'Время, пока мы держали для вас место, вышло: оно перешло следующему в очереди.',
      cancelled: 'Эта регистрация отменена.',
    },
    openDayCancelled: 'Этот день открытых дверей отменён.',
    openDayHeld: 'Этот день открытых дверей уже прошёл.',
    buttons: {
      giveUp: 'Отказаться от места',
      leave: 'Выйти из листа ожидания',
      take: 'Да, я приду',
      declineOffer: 'Отказаться от места',
    },
    done: {
      givenUp: 'Готово: вы отказались от места. Оно перейдёт следующему в очереди.',
      left: 'Готово: вы вышли из листа ожидания.',
      taken: 'Готово: место за вами. Ждём вас!',
    },
    notice: {
      actionMissing: 'Выберите, что сделать: нажмите одну из кнопок ниже.',
      offerExpired: 'Место уже не ждёт вас: время вышло, и оно перешло следующему в очереди.',
      notHeld: 'Эта регистрация уже отменена: менять нечего.',
      notOffered: 'Сейчас вам не предлагается свободное место.',
    },
    refused: {
      invalid: 'Ссылка недействительна. Откройте ссылку из письма банка о дне открытых дверей.',
      expired: 'Срок действия ссылки истёк: день открытых дверей давно прошёл.',
      replaced:
        'Эта ссылка из письма о прежней регистрации. Откройте ссылку из последнего письма банка о дне открытых дверей.',
    },
  },
};
