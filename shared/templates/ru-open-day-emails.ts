/**
 * The emails an open day's registrants get (shared/open-days/registrant-email.ts), in Russian: kept beside
 * ru.ts, which spreads them in, so the catalog stays one shape and each file stays small.
 */
export const ruOpenDayEmails = {
  openDayEmail: {
    greeting: 'Здравствуйте, {name}!',
    /** A moment or a span in the open day's time zone, the zone named: people may come from another one. */
    zoned: '{dateTime} ({zone}, {offset})',
    facts: {
      what: 'Что',
      when: 'Когда',
      where: 'Где',
      hosts: 'Ведущие',
    },
    onlineVenue: 'онлайн, по ссылке ниже',
    online: 'Ссылка для подключения: {link}',
    invite: {
      request: 'Приглашение для календаря во вложении (invite.ics): добавьте его, чтобы не забыть.',
      update: 'Обновлённое приглашение во вложении (invite.ics): календарь заменит прежнюю запись.',
      cancel: 'Во вложении отмена приглашения (invite.ics): календарь удалит запись.',
    },
    giveUp: 'Если не сможете прийти, освободите место для других: {link}',
    giveUpLink: 'отказаться от участия',
    checkIn: 'Ваш код для входа: {code}. Покажите его на входе.',
    checkInQr: 'Покажите этот QR-код на входе: сотрудник банка отсканирует его.',
    checkInQrAlt: 'QR-код для входа',
    /** Who the emails and invites come from (the invite's ORGANIZER name). */
    organizer: 'Банк: дни открытых дверей',
    signOff: 'С уважением, {sender}',
    /** Every email's footer: the signed link withdrawing marketing consent (docs/consents.md). */
    withdrawMarketing:
      'Письма о вашей регистрации будут приходить по-прежнему. Чтобы не получать от банка писем с предложениями: {link}',
    withdrawMarketingLink: 'отказаться от предложений',
    confirmed: {
      subject: 'Вы зарегистрированы: {title}',
      intro: 'Место за вами: ждём вас на дне открытых дверей «{title}».',
    },
    waitlisted: {
      subject: 'Вы в листе ожидания: {title}',
      intro: 'Все места на день открытых дверей «{title}» заняты, и мы записали вас в лист ожидания.',
      kept: 'Ваше место в очереди сохраняется. Если место освободится, мы сразу напишем вам.',
      leave: 'Если передумаете, выйдите из листа ожидания: {link}',
      leaveLink: 'выйти из листа ожидания',
    },
    offered: {
      subject: 'Освободилось место: {title}',
      intro: 'На дне открытых дверей «{title}» освободилось место, и мы держим его для вас до {until}.',
      passesOn: 'Если до этого времени вы не займёте место, оно перейдёт следующему в очереди.',
      take: 'Занять место: {link}',
      takeLink: 'да, я приду',
      giveUp: 'Если не сможете прийти: {link}',
      giveUpLink: 'отказаться от места',
    },
    cancelled: {
      subject: 'Регистрация отменена: {title}',
      byRegistrant: 'Ваша регистрация на день открытых дверей «{title}» отменена, как вы просили.',
      offerExpired:
        'Место на дне открытых дверей «{title}» ждало вашего ответа, но время вышло, и оно перешло следующему в очереди. Ваша регистрация отменена.',
      welcome: 'Будем рады видеть вас на других мероприятиях банка.',
    },
    reminder: {
      subject: 'Напоминание: {title}',
      intro: 'Напоминаем: день открытых дверей «{title}» начинается {start}.',
    },
    changed: {
      subject: 'Изменения: {title}',
      moved: 'День открытых дверей «{title}» перенесён.',
      newPlace: 'У дня открытых дверей «{title}» новое место.',
      movedAndNewPlace: 'День открытых дверей «{title}» перенесён, и у него новое место.',
      details: 'В дне открытых дверей «{title}» есть изменения.',
      previously: {
        when: 'Прежнее время: {when}',
        where: 'Прежнее место: {where}',
      },
      kept: {
        confirmed: 'Ваше место сохраняется. Вот как всё будет теперь:',
        waitlisted: 'Ваше место в листе ожидания сохраняется. Вот как всё будет теперь:',
        offered: 'Освободившееся место по-прежнему ждёт вашего ответа. Вот как всё будет теперь:',
      },
    },
    openDayCancelled: {
      subject: 'Отменено: {title}',
      intro: 'К сожалению, день открытых дверей «{title}» отменён. Он был назначен на {when}.',
      apology: 'Приносим извинения за неудобства.',
    },
    noShowFollowUp: {
      subject: 'Жаль, что не получилось: {title}',
      intro: 'Жаль, что вам не удалось прийти на день открытых дверей «{title}».',
      materials: 'Мы собрали материалы, о которых там шла речь: {link}',
      materialsLink: 'открыть материалы',
      materialsBelow: 'Мы собрали материалы, о которых там шла речь:',
      contact: 'Чтобы поговорить с банком о вашей компании, свяжитесь с ведущими: {hosts}.',
    },
  },
};
