import type { CatalogShape } from './catalog.ts';
import { ruCampaignTeam } from './ru-campaign-team.ts';
import { ruConsentPages } from './ru-consent-pages.ts';
import { ruEmbedForm } from './ru-embed-form.ts';
import { ruLetterPages } from './ru-letter-pages.ts';
import { ruOpenDayEmails } from './ru-open-day-emails.ts';
import { ruOpenDayPage } from './ru-open-day-page.ts';
import { ruReferrals } from './ru-referrals.ts';

/** Russian, the default: the source every other language must match key for key. Wording after shared/seeds. */
export const ru = {
  common: {
    staffTime: '{dateTime} (МСК)',
    possibleRepeatSubject: 'Возможно, повторно',
    notGiven: 'не указано',
    none: 'нет',
    person: '{name} ({email})',
  },
  labels: {
    product: {
      settlement_account: 'Расчётный счёт',
      payroll: 'Зарплатный проект',
      acquiring: 'Эквайринг',
      credit: 'Кредит',
      deposits: 'Депозиты',
      fx: 'Валютные операции',
      guarantees: 'Банковские гарантии',
      leasing: 'Лизинг',
      cash_management: 'Управление ликвидностью',
    },
    channel: {
      letter: 'Адресное письмо',
      referral: 'Рекомендация клиента',
      web: 'Заявка на сайте',
      open_day: 'День открытых дверей',
      event: 'Конференция или выставка',
      personal_contact: 'Личные связи менеджера',
      association: 'Союз или ассоциация',
      import: 'Загрузка списка',
    },
    industry: {
      manufacturing: 'Производство',
      trade: 'Торговля',
      construction: 'Строительство',
      it: 'Информационные технологии',
      transport: 'Транспорт и логистика',
      agriculture: 'Сельское хозяйство',
      services: 'Услуги',
      finance: 'Финансы',
      healthcare: 'Здравоохранение',
      other: 'Другая отрасль',
    },
    sizeBand: {
      micro: 'Микропредприятие',
      small: 'Малое предприятие',
      medium: 'Среднее предприятие',
      large: 'Крупное предприятие',
    },
    leadClass: {
      key: 'ключевой',
      priority: 'приоритетный',
      standard: 'стандартный',
      unqualified: 'неквалифицированный',
    },
    scoringFactor: {
      sizeBand: 'Размер компании',
      industry: 'Отрасль',
      region: 'Регион',
      products: 'Продукты',
      channel: 'Канал привлечения',
      completeness: 'Полнота заявки',
    },
    completenessItem: {
      phone: 'телефон',
      message: 'сообщение',
      website: 'сайт',
      sizeBand: 'размер компании',
      industry: 'отрасль',
    },
    matchedBy: { email: 'адрес эл. почты', inn: 'ИНН' },
    enquirySignal: {
      new_contact: 'новое контактное лицо',
      new_message: 'новое сообщение',
      other_products: 'другие продукты',
      other_company_name: 'другое название компании',
      other_inn: 'другой ИНН',
    },
    routingRule: {
      existing_client: 'собственный менеджер клиента',
      referrer_manager: 'менеджер клиента, давшего рекомендацию',
      best_fit: 'лучше всех подходит и имеет свободные места',
      unassigned: 'подходящего менеджера нет',
    },
    escalationCause: {
      no_manager: 'подходящего менеджера нет',
      attempts_exhausted: 'исчерпаны попытки назначения',
    },
    pauseReason: {
      by_manager: 'приостановлена менеджером кампании',
      send_errors: 'слишком много писем не удалось отправить',
      ses_refused: 'Amazon SES не принимает письма',
      run_failed: 'сбой отправки',
      bounces: 'слишком много жёстких отказов',
      complaints: 'слишком много жалоб на спам',
    },
    skipReason: {
      unsubscribed: 'отписались от рассылки',
      hard_bounced: 'адрес не существует (был жёсткий отказ)',
      complained: 'жаловались на спам',
      existing_client: 'уже клиенты банка',
      no_consent: 'нет согласия на рассылку',
      already_sent_this_campaign: 'на этот адрес письмо шага уже ушло',
      frequency_cap: 'исчерпан лимит писем на адрес',
      quiet_hours: 'вне часов отправки',
      not_a_prospect: 'нет в базе потенциальных клиентов',
      repeated_member: 'уже были в другой аудитории кампании',
      responded: 'уже откликнулись на кампанию',
    },
  },
  timeline: {
    missing: '—',
    received: 'Поступила заявка, канал привлечения: {channel}',
    touch: {
      same: 'Повторное обращение, канал привлечения: {channel}',
      differs: 'Повторное обращение, канал привлечения: {channel}; отличия от первого обращения: {signals}',
    },
    existing_client_matched:
      'Компания уже клиент банка ({clientId}); обращение берёт её персональный менеджер {managerId}',
    assessed: 'Оценка {total} из 100: {leadClass} лид',
    assigned: {
      byRule:
        'Лид назначен персональному менеджеру {managerId} ({rule}), предложение № {attempt}; ответить нужно до {dueAt}',
      byRuleNextShift:
        'Лид назначен персональному менеджеру {managerId} ({rule}; менеджер вне рабочего времени, срок считается с его следующей смены), предложение № {attempt}; ответить нужно до {dueAt}',
      ownClient: 'Лид передан персональному менеджеру клиента {managerId}; ответить нужно до {dueAt}',
      byHand:
        'Руководитель подразделения вручную назначил лид персональному менеджеру {managerId}, предложение № {attempt}; ответить нужно до {dueAt}',
      reassignedByHand:
        'Руководитель подразделения вручную передал лид от персонального менеджера {fromManagerId} менеджеру {managerId}, предложение № {attempt}; ответить нужно до {dueAt}',
    },
    awaiting_manager:
      'Подходящего персонального менеджера со свободными местами нет; лид ждёт назначения руководителем подразделения',
    manager_notified: {
      sent: 'Персональному менеджеру {managerId} отправлено письмо о лиде',
      possibleRepeat:
        'Персональному менеджеру {managerId} снова отправлено письмо о лиде с пометкой «возможно, повторно»: предыдущая попытка отправки могла пройти',
    },
    accepted: {
      inTime: 'Лид принят персональным менеджером {managerId} в срок (до {dueAt})',
      late: 'Лид принят персональным менеджером {managerId} после срока ({dueAt})',
    },
    declined: 'Отказ персонального менеджера {managerId}: {reason}; лид передаётся следующему менеджеру',
    acceptance_timed_out:
      'Персональный менеджер {managerId} не ответил до {dueAt}; лид передаётся следующему менеджеру',
    escalated: {
      attemptsExhausted:
        'Лид предложен {managers}, и никто его не принял; назначение за руководителем подразделения',
      managers: {
        plural: {
          one: '{count} персональному менеджеру',
          few: '{count} персональным менеджерам',
          many: '{count} персональным менеджерам',
          other: '{count} персональным менеджерам',
        },
      },
      noManager:
        'Лид не может взять ни один персональный менеджер; назначение за руководителем подразделения',
    },
    head_of_unit_notified: {
      sent: 'В почтовый ящик подразделения отправлено письмо: лид ждёт руководителя подразделения ({cause})',
      possibleRepeat:
        'В почтовый ящик подразделения снова отправлено письмо с пометкой «возможно, повторно»: лид ждёт руководителя подразделения ({cause})',
    },
    converted:
      'Компания стала клиентом банка, продукты: {products}; результат внёс персональный менеджер {managerId}',
    referrer_notified: {
      sent: 'Клиенту {clientId}, порекомендовавшему банк, отправлено письмо: компания стала клиентом',
      possibleRepeat:
        'Клиенту {clientId}, порекомендовавшему банк, снова отправлено письмо с пометкой «возможно, повторно»',
    },
    lost: 'Лид потерян: {reason}; результат внёс персональный менеджер {managerId}',
    enquiry_notified: {
      sent: 'Персональному менеджеру {managerId} отправлено письмо о новом обращении по лиду',
      possibleRepeat:
        'Персональному менеджеру {managerId} снова отправлено письмо о новом обращении по лиду с пометкой «возможно, повторно»',
    },
    intake_failed: 'Сбой обработки лида: {error}',
    intake_resumed: {
      after: 'Обработка лида запущена снова после сбоя ({error})',
      unknown: 'Обработка лида запущена снова после сбоя',
    },
  },
  managerEmail: {
    subject: {
      acquisition: 'Новый лид: {company} ({class})',
      existingClient: 'Обращение вашего клиента: {company}',
    },
    greeting: {
      acquisition: '{manager}, вам передан новый лид: {company}.',
      existingClient: '{manager}, к вам обратился ваш клиент: {company}.',
    },
    leadClass: '{leadClass} лид',
    existingClient: 'действующий клиент',
    facts: {
      company: 'Компания',
      inn: 'ИНН',
      regionCode: 'Код региона',
      sizeBand: 'Размер компании',
      industry: 'Отрасль',
      website: 'Сайт',
      products: 'Интересующие продукты',
      contact: 'Контактное лицо',
      email: 'Эл. почта',
      phone: 'Телефон',
      channel: 'Канал привлечения',
      message: 'Сообщение',
      receivedAt: 'Получен',
      leadId: 'Номер лида',
    },
    score: {
      heading: 'Оценка {total} из 100 ({class})',
      factor: 'Фактор',
      value: 'Значение',
      points: 'Баллы',
      why: 'Почему',
      line: '{factor}: {value}, {points} ({why})',
      share: 'доля {fraction} от веса {weight}',
      unlistedRegion: 'регион не из списка, доля по умолчанию {fraction} от веса {weight}',
      pointsCount: {
        plural: { one: '{count} балл', few: '{count} балла', many: '{count} баллов', other: '{count} балла' },
      },
      configuration: 'Конфигурация оценки: {version}.',
    },
    possibleRepeat:
      'Возможно, вы уже получили это письмо: предыдущая попытка отправки могла пройти. Это то же уведомление, а не новый лид.',
    answerBy:
      'Примите лид или откажитесь от него до {dueAt}. Если ответа не будет, лид передадут другому менеджеру.',
    acceptLink: 'Принять лид',
    declineLink: 'Отказаться от лида',
  },
  decisionPage: {
    title: 'Лид {company}',
    accept: {
      question: 'Принять лид {company}? Вы станете его персональным менеджером.',
      button: 'Принять',
    },
    decline: {
      question: 'Отказаться от лида {company}? Его передадут другому менеджеру.',
      reason: 'Причина',
      note: 'Комментарий (необязательно)',
      button: 'Отказаться',
      reasonMissing: 'Выберите причину отказа.',
    },
    dueAt: 'Ответить нужно до {dueAt}.',
    done: {
      accepted: 'Готово: лид {company} ваш.',
      declined: 'Готово: вы отказались от лида {company}, его передадут другому менеджеру.',
    },
    refused: {
      invalid: 'Ссылка недействительна. Откройте лид в рабочем месте.',
      expired: 'Срок действия ссылки истёк. Откройте лид в рабочем месте.',
      decided: 'Лид уже принят.',
      reassigned: 'Лид уже передан другому менеджеру.',
      stale: 'Эта ссылка относится к прежнему назначению лида.',
      not_found: 'Лид не найден.',
    },
  },
  enquiryEmail: {
    subject: 'Новое обращение по лиду {company}',
    subjectToCheck: 'Новое обращение по лиду {company}: проверьте, кто это',
    greeting: '{manager}, по вашему лиду {company} пришло новое обращение.',
    matchedBy: 'С лидом его связало совпадение: {keys}.',
    differs: 'Это обращение не совпадает с первым обращением по лиду:',
    newContact: 'другое контактное лицо: {now}; в первом обращении: {first}',
    otherCompanyName: 'другое название компании: «{now}»; в первом обращении: «{first}»',
    otherInn: 'другой ИНН: {now}; в первом обращении: {first}',
    checkBeforeCalling:
      'Прежде чем звонить, проверьте, кто это: чужой ИНН или адрес почты может указать кто угодно, и первое обращение тоже могло прийти не от самой компании.',
    newContactPerson: '{contact} (новое контактное лицо)',
    productsWithNew: '{products}; новое для лида: {added}',
    facts: {
      contact: 'Контактное лицо',
      email: 'Эл. почта',
      phone: 'Телефон',
      company: 'Компания',
      inn: 'ИНН',
      products: 'Интересующие продукты',
      message: 'Сообщение',
      channel: 'Канал привлечения',
      receivedAt: 'Получено',
      leadId: 'Номер лида',
      enquiryId: 'Номер обращения',
    },
    possibleRepeat:
      'Возможно, вы уже получили это письмо: предыдущая попытка отправки могла пройти. Это то же уведомление, а не ещё одно обращение.',
  },
  headOfUnitEmail: {
    subject: 'Лид ждёт назначения: {company}',
    intro:
      'Лид {company} ждёт руководителя подразделения: ни один персональный менеджер его не взял, назначьте его вручную.',
    why: {
      no_manager:
        'Почему: лид не может взять ни один менеджер. Подходящих по сегменту, региону и отрасли нет, они отсутствуют или у них нет свободных мест.',
      attempts_exhausted:
        'Почему: исчерпаны попытки назначения. Каждый менеджер, которому предложили лид, отказался или не ответил вовремя.',
    },
    attempts: 'Предложений менеджерам: {attempts}.',
    act: {
      assign:
        'Что сделать: передайте лид менеджеру запросом POST {url} с телом {"managerId": "…"}. Менеджер получит письмо и должен принять лид в срок.',
      waitingList: 'Все лиды, которые ждут назначения: GET {url}',
    },
    leadClass: '{leadClass} лид',
    existingClient: 'действующий клиент',
    score: '{total} из 100',
    segment: {
      corporate: 'Корпоративный бизнес',
      mid_market: 'Средний бизнес',
      small_business: 'Малый бизнес',
    },
    facts: {
      company: 'Компания',
      leadId: 'Номер лида',
      leadClass: 'Класс',
      score: 'Оценка',
      segment: 'Сегмент',
      regionCode: 'Код региона',
      sizeBand: 'Размер компании',
      industry: 'Отрасль',
      products: 'Интересующие продукты',
      receivedAt: 'Получен',
      waitingSince: 'Ждёт с',
    },
    possibleRepeat:
      'Возможно, вы уже получили это письмо: предыдущая попытка отправки могла пройти. Это то же уведомление, а не ещё один лид в очереди.',
  },
  letterFooter: {
    unsubscribe:
      'Вы получили это письмо как представитель компании. Чтобы больше не получать писем банка с предложениями: {link}',
    unsubscribeLink: 'отписаться от рассылки',
    respond: 'Чтобы обсудить предложение, закажите звонок менеджера: {link}',
    respondLink: 'заказать звонок',
  },
  ...ruLetterPages,
  ...ruCampaignTeam,
  ...ruOpenDayEmails,
  ...ruOpenDayPage,
  ...ruConsentPages,
  ...ruEmbedForm,
  ...ruReferrals,
} satisfies CatalogShape;
