import { type ReasonKind, reasonLabel } from '../managers/outcomes.ts';
import type { Templates } from '../templates/render.ts';
import type { TimelineEntry, TimelineKind } from './lead.ts';

type Details = Readonly<Record<string, unknown>>;

/**
 * The facts of one entry in the reader's words. A fact the entry lacks (an item stored by an older
 * version) reads as the catalog's mark for a missing value, never as an error: history is always shown.
 */
class Facts {
  private readonly t: Templates;
  private readonly details: Details;

  constructor(t: Templates, details: Details) {
    this.t = t;
    this.details = details;
  }

  private get missing() {
    return this.t.catalog.timeline.missing;
  }

  /** A stored id, code or number as it is. */
  raw(name: string): string | number {
    const value = this.details[name];
    return typeof value === 'string' || typeof value === 'number' ? value : this.missing;
  }

  has(name: string): boolean {
    return this.details[name] !== undefined;
  }

  flag(name: string): boolean {
    return this.is(name, true);
  }

  is(name: string, value: boolean): boolean {
    return this.details[name] === value;
  }

  /** No list under this name, or an empty one. */
  isEmpty(name: string): boolean {
    const values = this.details[name];
    return !Array.isArray(values) || values.length === 0;
  }

  /** A stored enum value by its label in the reader's language; an unknown value as stored. */
  label(labels: Readonly<Record<string, string>>, name: string): string {
    const value = this.raw(name);
    return typeof value === 'string' ? (labels[value] ?? value) : String(value);
  }

  /** Stored enum values, each by its label, joined as the language joins a list. */
  list(labels: Readonly<Record<string, string>>, name: string): string {
    const values = this.details[name];
    if (!Array.isArray(values)) return this.missing;
    return this.t.list(values.map((v) => (typeof v === 'string' ? (labels[v] ?? v) : String(v))));
  }

  /** A moment as staff read it (date and time in the staff time zone); an unreadable one as missing. */
  time(name: string): string {
    const value = this.details[name];
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) return this.missing;
    return this.t.dateTime(value);
  }

  /** A decline or loss reason by its configured label; a code the list does not hold as stored. */
  reason(kind: ReasonKind): string {
    const code = this.raw('reasonCode');
    return typeof code === 'string' ? (reasonLabel(kind, code, this.t.locale) ?? code) : String(code);
  }

  count(name: string): number | undefined {
    const value = this.details[name];
    return typeof value === 'number' ? value : undefined;
  }

  /** A nested object of the details (e.g. the failure an entry cleared), as facts of their own. */
  nested(name: string): Facts {
    const value = this.details[name];
    return new Facts(this.t, typeof value === 'object' && value !== null ? (value as Details) : {});
  }
}

type Render = (t: Templates, facts: Facts) => string;

/** One way to say each kind: a kind added to TIMELINE_KINDS without its text does not compile. */
const TEXTS: Record<TimelineKind, Render> = {
  received: (t, f) =>
    t.text(t.catalog.timeline.received, { channel: f.label(t.catalog.labels.channel, 'channel') }),
  touch: (t, f) => {
    const { touch } = t.catalog.timeline;
    const channel = f.label(t.catalog.labels.channel, 'channel');
    return f.isEmpty('signals')
      ? t.text(touch.same, { channel })
      : t.text(touch.differs, { channel, signals: f.list(t.catalog.labels.enquirySignal, 'signals') });
  },
  existing_client_matched: (t, f) =>
    t.text(t.catalog.timeline.existing_client_matched, {
      clientId: f.raw('clientId'),
      managerId: f.raw('managerId'),
    }),
  assessed: (t, f) =>
    t.text(t.catalog.timeline.assessed, {
      total: f.raw('total'),
      leadClass: f.label(t.catalog.labels.leadClass, 'leadClass'),
    }),
  assigned: (t, f) => {
    const { assigned } = t.catalog.timeline;
    const vars = { managerId: f.raw('managerId'), attempt: f.raw('attempt'), dueAt: f.time('dueAt') };
    if (f.flag('byHand')) {
      return f.has('fromManagerId')
        ? t.text(assigned.reassignedByHand, { ...vars, fromManagerId: f.raw('fromManagerId') })
        : t.text(assigned.byHand, vars);
    }
    if (f.raw('rule') === 'existing_client') return t.text(assigned.ownClient, vars);
    const rule = f.label(t.catalog.labels.routingRule, 'rule');
    return t.text(f.flag('outsideHours') ? assigned.byRuleNextShift : assigned.byRule, { ...vars, rule });
  },
  awaiting_manager: (t) => t.catalog.timeline.awaiting_manager,
  manager_notified: (t, f) => {
    const { manager_notified: notified } = t.catalog.timeline;
    return t.text(f.flag('possibleRepeat') ? notified.possibleRepeat : notified.sent, {
      managerId: f.raw('managerId'),
    });
  },
  accepted: (t, f) => {
    const { accepted } = t.catalog.timeline;
    // An entry that does not say it was late reads as in time, as the SLA report counts it.
    return t.text(f.is('withinSla', false) ? accepted.late : accepted.inTime, {
      managerId: f.raw('managerId'),
      dueAt: f.time('dueAt'),
    });
  },
  declined: (t, f) =>
    t.text(t.catalog.timeline.declined, { managerId: f.raw('managerId'), reason: f.reason('decline') }),
  acceptance_timed_out: (t, f) =>
    t.text(t.catalog.timeline.acceptance_timed_out, {
      managerId: f.raw('managerId'),
      dueAt: f.time('dueAt'),
    }),
  escalated: (t, f) => {
    const { escalated } = t.catalog.timeline;
    const attempts = f.count('attempts');
    if (f.raw('cause') === 'no_manager' || attempts === undefined) return escalated.noManager;
    return t.text(escalated.attemptsExhausted, { managers: t.count(escalated.managers, attempts) });
  },
  head_of_unit_notified: (t, f) => {
    const { head_of_unit_notified: notified } = t.catalog.timeline;
    return t.text(f.flag('possibleRepeat') ? notified.possibleRepeat : notified.sent, {
      cause: f.label(t.catalog.labels.escalationCause, 'cause'),
    });
  },
  converted: (t, f) =>
    t.text(t.catalog.timeline.converted, {
      products: f.list(t.catalog.labels.product, 'products'),
      managerId: f.raw('managerId'),
    }),
  referrer_notified: (t, f) => {
    const { referrer_notified: notified } = t.catalog.timeline;
    return t.text(f.flag('possibleRepeat') ? notified.possibleRepeat : notified.sent, {
      clientId: f.raw('clientId'),
    });
  },
  lost: (t, f) =>
    t.text(t.catalog.timeline.lost, { reason: f.reason('lost'), managerId: f.raw('managerId') }),
  enquiry_notified: (t, f) => {
    const { enquiry_notified: notified } = t.catalog.timeline;
    return t.text(f.flag('possibleRepeat') ? notified.possibleRepeat : notified.sent, {
      managerId: f.raw('managerId'),
    });
  },
  intake_failed: (t, f) => t.text(t.catalog.timeline.intake_failed, { error: f.raw('error') }),
  intake_resumed: (t, f) => {
    const { intake_resumed: resumed } = t.catalog.timeline;
    const failure = f.nested('failure');
    return failure.has('error') ? t.text(resumed.after, { error: failure.raw('error') }) : resumed.unknown;
  },
};

/**
 * The text of one timeline entry in the reader's language, from the catalogs and the entry's kind and
 * details. A `summary` stored with entries written before texts were rendered is ignored.
 */
export function timelineText(t: Templates, entry: Pick<TimelineEntry, 'kind' | 'details'>): string {
  return TEXTS[entry.kind](t, new Facts(t, entry.details ?? {}));
}
