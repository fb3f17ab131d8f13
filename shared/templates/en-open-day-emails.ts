/**
 * The emails an open day's registrants get (shared/open-days/registrant-email.ts), in English: kept beside
 * en.ts, which spreads them in.
 */
export const enOpenDayEmails = {
  openDayEmail: {
    greeting: 'Hello, {name}!',
    zoned: '{dateTime} ({zone}, {offset})',
    facts: {
      what: 'What',
      when: 'When',
      where: 'Where',
      hosts: 'Hosts',
    },
    onlineVenue: 'online, at the link below',
    online: 'Link to join: {link}',
    invite: {
      request: 'The calendar invite is attached (invite.ics): add it so you do not forget.',
      update: 'The updated calendar invite is attached (invite.ics): your calendar replaces the old entry.',
      cancel: 'The calendar cancellation is attached (invite.ics): your calendar removes the entry.',
    },
    giveUp: 'If you cannot come, free your seat for someone else: {link}',
    giveUpLink: 'give up my seat',
    checkIn: 'Your check-in code: {code}. Show it at the door.',
    checkInQr: "Show this QR code at the door: the bank's staff will scan it.",
    checkInQrAlt: 'Check-in QR code',
    /** Who the emails and invites come from (the invite's ORGANIZER name). */
    organizer: 'The bank: open days',
    signOff: 'Kind regards, {sender}',
    withdrawMarketing:
      "Emails about your registration will still come. To stop the bank's letters with offers: {link}",
    withdrawMarketingLink: 'unsubscribe from offers',
    confirmed: {
      subject: 'You are registered: {title}',
      intro: 'Your seat is booked: we look forward to seeing you at the open day "{title}".',
    },
    waitlisted: {
      subject: 'You are on the waiting list: {title}',
      intro: 'Every seat at the open day "{title}" is taken, so we put you on the waiting list.',
      kept: 'Your place in line is kept. If a seat frees up, we will email you at once.',
      leave: 'If you change your mind, leave the waiting list: {link}',
      leaveLink: 'leave the waiting list',
    },
    offered: {
      subject: 'A seat is free: {title}',
      intro: 'A seat has freed up at the open day "{title}", and we are holding it for you until {until}.',
      passesOn: 'If you do not take it by then, it goes to the next person in line.',
      take: 'Take the seat: {link}',
      takeLink: "yes, I'll come",
      giveUp: 'If you cannot come: {link}',
      giveUpLink: 'give up the seat',
    },
    cancelled: {
      subject: 'Registration cancelled: {title}',
      byRegistrant: 'Your registration for the open day "{title}" is cancelled, as you asked.',
      offerExpired:
        'A seat at the open day "{title}" waited for your answer, but the time ran out and it went to the next person in line. Your registration is cancelled.',
      welcome: "We will be glad to see you at the bank's other events.",
    },
    reminder: {
      subject: 'Reminder: {title}',
      intro: 'A reminder: the open day "{title}" starts on {start}.',
    },
    changed: {
      subject: 'Changes: {title}',
      moved: 'The open day "{title}" has moved to another time.',
      newPlace: 'The open day "{title}" has a new place.',
      movedAndNewPlace: 'The open day "{title}" has moved to another time and has a new place.',
      details: 'The open day "{title}" has changed.',
      previously: {
        when: 'Previous time: {when}',
        where: 'Previous place: {where}',
      },
      kept: {
        confirmed: 'Your seat is kept. This is how it will be now:',
        waitlisted: 'Your place on the waiting list is kept. This is how it will be now:',
        offered: 'The seat that freed up still waits for your answer. This is how it will be now:',
      },
    },
    openDayCancelled: {
      subject: 'Cancelled: {title}',
      intro: 'We are sorry: the open day "{title}" is cancelled. It was planned for {when}.',
      apology: 'We apologize for the inconvenience.',
    },
    noShowFollowUp: {
      subject: 'Sorry we missed you: {title}',
      intro: 'We are sorry you could not come to the open day "{title}".',
      materials: 'Here are the materials we talked about: {link}',
      materialsLink: 'open the materials',
      materialsBelow: 'Here are the materials we talked about:',
      contact: 'To talk with the bank about your company, contact the hosts: {hosts}.',
    },
  },
};
