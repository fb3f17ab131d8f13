import type { Email, EmailAttachment } from '../leads/ports.ts';
import { unsubscribeHeaders } from '../letters/unsubscribe.ts';
import { type Fact, factsHtml, factsText, htmlDocument, paragraph } from '../templates/email.ts';
import { escapeHtml, markup, type Templates, templatesFor } from '../templates/render.ts';
import { type InviteMethod, inLanguage, inviteAttachment, type Organizer, openDayInvite } from './invite.ts';
import type { OpenDay, OpenDayVersion, Registration } from './open-day.ts';
import { momentIn, spanOf } from './zoned-time.ts';

/**
 * The emails an open day's registrants get (docs/open-days.md, "Emails and the calendar"): each in the
 * registrant's language, every text from the catalog's `openDayEmail`, every value escaped in the HTML.
 * Pure: the links, the hosts, the sender and the clock come in.
 */

/**
 * Who the email is about and who sends it (the bank's identity, the invite's organizer), and the person's
 * signed link to withdraw marketing consent (docs/consents.md), which every email's footer carries.
 */
type Registrant = {
  openDay: OpenDay;
  registration: Registration;
  sender: Organizer;
  marketingWithdrawal: string;
};
/** An email that may carry an invite also needs the clock: the invite's DTSTAMP. */
type WithInvite = Registrant & { now: Date };

/** A personal manager who hosts the open day, as the registrant may reach them. */
export type Host = { name: string; email?: string };

export type ConfirmedEmail = WithInvite & {
  hosts: readonly string[];
  links: { giveUp: string };
  /** The signed code staff check people in by, shown as text to show at the door. */
  checkInCode: string;
  /** The same code as a QR code (PNG) the door's staff scan: shown in the HTML, attached inline. */
  checkInImage?: Uint8Array;
};
export type WaitlistedEmail = Registrant & { links: { leave: string } };
export type OfferedEmail = Registrant & { links: { take: string; giveUp: string } };
export type CancelledEmail = WithInvite &
  (
    | {
        cause: 'by_registrant';
        /** Whether they had been confirmed, so their calendar has the entry to take out. */
        heldSeat: boolean;
      }
    /** An offer that ran out never became a calendar entry: the invite comes with the confirmation. */
    | { cause: 'offer_expired' }
  );
export type ReminderEmail = WithInvite & {
  links: { giveUp: string };
  checkInCode: string;
  checkInImage?: Uint8Array;
};
export type ChangedEmail = WithInvite & {
  /** The open day as the registrant last heard of it, to say what changed. */
  before: OpenDayVersion;
  /** The registration's cancel link: giving the seat up, leaving the line, or declining the offer. */
  links: { giveUp: string };
};
export type OpenDayCancelledEmail = WithInvite & {
  /** Whether they are confirmed, so their calendar has the entry to take out. */
  heldSeat: boolean;
};
export type NoShowFollowUpEmail = Registrant & {
  materials: { url: string } | { text: string };
  hosts: readonly Host[];
};

/** One piece of an email, as HTML and as plain text, and any file its HTML shows. */
type Part = { html: string; text: string; files?: EmailAttachment[] };

const say = (text: string): Part => ({ html: paragraph(text), text });

/** A sentence whose {link} is a link in the HTML and the bare address in the text. */
const linked = (t: Templates, template: string, label: string, url: string): Part => ({
  html: `<p>${t.html(template, { link: markup(`<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>`) })}</p>`,
  text: t.text(template, { link: url }),
});

/** Text a campaign manager wrote, a paragraph per paragraph they made (separated by an empty line). */
const paragraphs = (text: string): Part[] =>
  text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map(say);

/** Where, as the registrant reads it: the address in their language, or the online session's link. */
const placeOf = ({ venue }: Pick<OpenDay, 'venue'>, t: Templates): string =>
  venue.kind === 'place' ? inLanguage(venue.address, t.locale) : venue.url;

const samePlace = (a: OpenDay['venue'], b: OpenDay['venue']): boolean =>
  a.kind === 'place' && b.kind === 'place'
    ? a.address.ru === b.address.ru && a.address.en === b.address.en
    : a.kind === 'online' && b.kind === 'online' && a.url === b.url;

/** What, when, where (the address, or the online link), and who hosts it. */
function about(t: Templates, openDay: OpenDay, hosts: readonly string[] = []): Part[] {
  const e = t.catalog.openDayEmail;
  const f = e.facts;
  const facts: Fact[] = [
    [f.what, inLanguage(openDay.title, t.locale)],
    [f.when, spanOf(t, openDay)],
    [f.where, openDay.venue.kind === 'place' ? placeOf(openDay, t) : e.onlineVenue],
    [f.hosts, hosts.length ? t.list(hosts) : undefined],
  ];
  const table = { html: factsHtml(facts), text: factsText(facts).join('\n') };
  if (openDay.venue.kind === 'place') return [table];
  const { url } = openDay.venue;
  return [table, linked(t, e.online, url, url)];
}

/** The email as a whole: the greeting, its parts, the sign-off; the invite attached when there is one. */
function registrantEmail(
  t: Templates,
  input: Registrant,
  subject: string,
  parts: Part[],
  invite?: { method: InviteMethod; now: Date },
): Email {
  const { registration, openDay, sender } = input;
  // An invite is for a seat held: a REQUEST after a cancel would put back an entry the CANCEL, the entry's
  // last word, took out (see inviteSequence).
  if (invite?.method === 'REQUEST' && registration.status !== 'confirmed')
    throw new Error(`A calendar invite is for a confirmed registration, not a ${registration.status} one`);
  const e = t.catalog.openDayEmail;
  const all = [
    say(t.text(e.greeting, { name: registration.contact.name })),
    ...parts,
    say(t.text(e.signOff, { sender: sender.name })),
    linked(t, e.withdrawMarketing, e.withdrawMarketingLink, input.marketingWithdrawal),
  ];
  return {
    to: registration.contact.email,
    subject,
    html: htmlDocument(t.locale, all.map((p) => p.html).join('\n')),
    text: all.map((p) => p.text).join('\n\n'),
    ...withAttachments([
      ...all.flatMap((p) => p.files ?? []),
      ...(invite
        ? [
            inviteAttachment(
              openDayInvite(openDay, registration, invite.method, { organizer: sender, now: invite.now }),
              invite.method,
            ),
          ]
        : []),
    ]),
  };
}

const withAttachments = (files: EmailAttachment[]) => (files.length ? { attachments: files } : {});

const setUp = ({ openDay, registration }: Registrant) => {
  const t = templatesFor(registration.language);
  return { t, e: t.catalog.openDayEmail, title: inLanguage(openDay.title, t.locale) };
};

const giveUpPart = (t: Templates, url: string): Part =>
  linked(t, t.catalog.openDayEmail.giveUp, t.catalog.openDayEmail.giveUpLink, url);

/** The content id the HTML shows the check-in QR code by. */
export const CHECK_IN_IMAGE_ID = 'check-in-code';

/**
 * The check-in code: as text (to read out, or in a plain-text mail client), and, when there is its image,
 * as a QR code for the door's scanner, attached inline (email clients block remote images, not inline ones).
 */
const checkInPart = (t: Templates, code: string, image?: Uint8Array): Part => {
  const e = t.catalog.openDayEmail;
  const asText = `<p>${t.html(e.checkIn, { code: markup(`<strong><code>${escapeHtml(code)}</code></strong>`) })}</p>`;
  if (!image) return { html: asText, text: t.text(e.checkIn, { code }) };
  return {
    html: `<p>${t.html(e.checkInQr, {})}</p>\n<p><img src="cid:${CHECK_IN_IMAGE_ID}" alt="${escapeHtml(e.checkInQrAlt)}" width="240" height="240"></p>\n${asText}`,
    text: t.text(e.checkIn, { code }),
    files: [
      {
        fileName: 'check-in.png',
        contentType: 'image/png',
        content: image,
        inline: { contentId: CHECK_IN_IMAGE_ID },
      },
    ],
  };
};

/** A seat is theirs: the details, the check-in code, the invite, and how to give the seat up. */
export function confirmed(input: ConfirmedEmail): Email {
  const { t, e, title } = setUp(input);
  return registrantEmail(
    t,
    input,
    t.text(e.confirmed.subject, { title }),
    [
      say(t.text(e.confirmed.intro, { title })),
      ...about(t, input.openDay, input.hosts),
      ...paragraphs(inLanguage(input.openDay.description, t.locale)),
      checkInPart(t, input.checkInCode, input.checkInImage),
      say(e.invite.request),
      giveUpPart(t, input.links.giveUp),
    ],
    { method: 'REQUEST', now: input.now },
  );
}

/** Every seat is taken: their place in line is kept, and they will hear if a seat frees up. */
export function waitlisted(input: WaitlistedEmail): Email {
  const { t, e, title } = setUp(input);
  const w = e.waitlisted;
  return registrantEmail(t, input, t.text(w.subject, { title }), [
    say(t.text(w.intro, { title })),
    say(w.kept),
    ...about(t, input.openDay),
    linked(t, w.leave, w.leaveLink, input.links.leave),
  ]);
}

/** A seat freed up for them and is held until the offer runs out: take it, or give it up. */
export function offered(input: OfferedEmail): Email {
  const { t, e, title } = setUp(input);
  const o = e.offered;
  const { offerUntil } = input.registration;
  if (!offerUntil) throw new Error('An offered registration carries the time its offer runs out');
  const until = momentIn(t, offerUntil, input.openDay.timeZone);
  return registrantEmail(t, input, t.text(o.subject, { title }), [
    say(t.text(o.intro, { title, until })),
    say(o.passesOn),
    ...about(t, input.openDay),
    linked(t, o.take, o.takeLink, input.links.take),
    linked(t, o.giveUp, o.giveUpLink, input.links.giveUp),
  ]);
}

/** Their registration is cancelled, by them or because an offer ran out; a held seat's entry is cancelled. */
export function cancelled(input: CancelledEmail): Email {
  const { t, e, title } = setUp(input);
  const c = e.cancelled;
  const why = input.cause === 'by_registrant' ? c.byRegistrant : c.offerExpired;
  const heldSeat = input.cause === 'by_registrant' && input.heldSeat;
  return registrantEmail(
    t,
    input,
    t.text(c.subject, { title }),
    [say(t.text(why, { title })), ...(heldSeat ? [say(e.invite.cancel)] : []), say(c.welcome)],
    heldSeat ? { method: 'CANCEL', now: input.now } : undefined,
  );
}

/** The open day starts soon: when and where, the code, the same invite again, and the way out. */
export function reminder(input: ReminderEmail): Email {
  const { t, e, title } = setUp(input);
  const start = momentIn(t, input.openDay.startsAt, input.openDay.timeZone);
  return registrantEmail(
    t,
    input,
    t.text(e.reminder.subject, { title }),
    [
      say(t.text(e.reminder.intro, { title, start })),
      ...about(t, input.openDay),
      checkInPart(t, input.checkInCode, input.checkInImage),
      say(e.invite.request),
      giveUpPart(t, input.links.giveUp),
    ],
    { method: 'REQUEST', now: input.now },
  );
}

/**
 * The open day moved or changed place (or changed otherwise): what it was and what it is. A confirmed
 * registrant gets the updated invite; one waiting in line or offered a seat has no calendar entry yet, and
 * keeps their place. A cancelled registration hears nothing more.
 */
export function changed(input: ChangedEmail): Email {
  const { t, e, title } = setUp(input);
  const c = e.changed;
  const { openDay, before, registration } = input;
  if (registration.status === 'cancelled') throw new Error('A cancelled registration is not told of changes');
  const moved = before.startsAt !== openDay.startsAt || before.endsAt !== openDay.endsAt;
  const newPlace = !samePlace(before.venue, openDay.venue);
  const what = moved ? (newPlace ? c.movedAndNewPlace : c.moved) : newPlace ? c.newPlace : c.details;
  const confirmedSeat = registration.status === 'confirmed';
  const way = {
    confirmed: giveUpPart(t, input.links.giveUp),
    waitlisted: linked(t, e.waitlisted.leave, e.waitlisted.leaveLink, input.links.giveUp),
    offered: linked(t, e.offered.giveUp, e.offered.giveUpLink, input.links.giveUp),
  }[registration.status];
  return registrantEmail(
    t,
    input,
    t.text(c.subject, { title }),
    [
      say(t.text(what, { title })),
      ...(moved ? [say(t.text(c.previously.when, { when: spanOf(t, before) }))] : []),
      ...(newPlace ? [say(t.text(c.previously.where, { where: placeOf(before, t) }))] : []),
      say(c.kept[registration.status]),
      ...about(t, openDay),
      ...(confirmedSeat ? [say(e.invite.update)] : []),
      way,
    ],
    confirmedSeat ? { method: 'REQUEST', now: input.now } : undefined,
  );
}

/** The open day is cancelled; whoever held a seat gets the entry cancelled in their calendar. */
export function openDayCancelled(input: OpenDayCancelledEmail): Email {
  const { t, e, title } = setUp(input);
  const c = e.openDayCancelled;
  const { heldSeat } = input;
  return registrantEmail(
    t,
    input,
    t.text(c.subject, { title }),
    [
      say(t.text(c.intro, { title, when: spanOf(t, input.openDay) })),
      ...(heldSeat ? [say(e.invite.cancel)] : []),
      say(c.apology),
    ],
    heldSeat ? { method: 'CANCEL', now: input.now } : undefined,
  );
}

/**
 * They did not come: the materials, and whom at the bank to talk to. The one marketing email of an open
 * day, so it also carries the withdrawal link as RFC 8058's one-click `List-Unsubscribe` (the link's POST
 * takes that body), as a letter does; the others are about the registration, and a mail client's
 * "unsubscribe" on them would read as giving the seat up.
 */
export function noShowFollowUp(input: NoShowFollowUpEmail): Email {
  const { t, e, title } = setUp(input);
  const n = e.noShowFollowUp;
  const { materials } = input;
  const hosts = input.hosts.map((h) =>
    h.email ? t.text(t.catalog.common.person, { name: h.name, email: h.email }) : h.name,
  );
  const email = registrantEmail(t, input, t.text(n.subject, { title }), [
    say(t.text(n.intro, { title })),
    ...('url' in materials
      ? [linked(t, n.materials, n.materialsLink, materials.url)]
      : [say(n.materialsBelow), ...paragraphs(materials.text)]),
    say(t.text(n.contact, { hosts: t.list(hosts) })),
  ]);
  const headers = unsubscribeHeaders(input.marketingWithdrawal);
  return { ...email, headers: Object.fromEntries(headers.map(({ Name, Value }) => [Name, Value])) };
}
