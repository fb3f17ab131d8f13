import type { ruOpenDayPage } from './ru-open-day-page.ts';

/** The page an open day registrant's email links open, in English: the Russian keys, each translated. */
export const enOpenDayPage: typeof ruOpenDayPage = {
  openDayPage: {
    greeting: 'Hello, {name}!',
    facts: {
      when: 'When',
      where: 'Where',
    },
    onlineVenue: 'online, by the link below',
    online: 'The link to join: {link}',
    state: {
      confirmed: 'Your seat is kept: we look forward to seeing you.',
      waitlisted:
        'Every seat is taken, and you are on the waitlist. If a seat frees up, we will write to you at once.',
      offered: 'A seat has freed up, and we are holding it for you until {until}.',
      offerRanOut: 'The time we held the seat for you has run out: it has passed to the next in line.',
      cancelled: 'This registration was given up.',
    },
    openDayCancelled: 'This open day is cancelled.',
    openDayHeld: 'This open day has taken place.',
    buttons: {
      giveUp: 'Give up my seat',
      leave: 'Leave the waitlist',
      take: "Yes, I'll come",
      declineOffer: 'Give the seat up',
    },
    done: {
      givenUp: 'Done: you have given up your seat. It passes to the next in line.',
      left: 'Done: you have left the waitlist.',
      taken: 'Done: the seat is yours. We look forward to seeing you!',
    },
    notice: {
      actionMissing: 'Choose what to do: press one of the buttons below.',
      offerExpired: 'The seat no longer waits for you: the time ran out, and it passed to the next in line.',
      notHeld: 'This registration was given up already: there is nothing to change.',
      notOffered: 'No free seat is offered to you now.',
    },
    refused: {
      invalid: "This link is not valid. Open the link in the bank's email about the open day.",
      expired: 'This link has expired: the open day is long over.',
      replaced:
        "This link is from the email about an earlier registration. Open the link in the bank's latest email about the open day.",
    },
  },
};
