import { randomUUID } from 'node:crypto';
import { LEAD_EVENTS, type LeadEventDetail, type LeadEventType } from '#events/lead-events.ts';
import type { LeadCount, LeadSourceCount } from '#shared/ad-spend/ad-spend.ts';
import type { Enquiry, Lead, TimelineEntry } from '#shared/leads/lead.ts';
import type {
  Client,
  Clients,
  Email,
  LeadEvents,
  Leads,
  Mail,
  Managers,
  NotificationClaim,
  Notifications,
  Referrer,
  Referrers,
} from '#shared/leads/ports.ts';
import type { Touch } from '#shared/leads/touch.ts';
import type { PersonalManager } from '#shared/managers/roster.ts';
import type { Referral, ReferralWrite } from '#shared/referrals/referral.ts';

import { copy, InMemoryLeads } from './in-memory-leads.ts';

export { InMemoryAnswers, InMemoryRateLimiter, InMemoryStarter, testClock } from './in-memory-edges.ts';
export type { Claim };

/**
 * In-memory implementations of the core's ports, with the same conditional semantics as the DynamoDB
 * adapters (test/local/ports-contract.test.ts runs one contract against both, so they cannot drift).
 * Values are copied in and out, as a store would.
 */
type Claim = { leadId: string; expiresAt: number; fingerprint?: string };
type NotificationItem = {
  status: 'sending' | 'sent';
  claimId: string;
  attempts: number;
  messageId?: string;
  possibleRepeat?: boolean;
};

/** One store behind every port, as the single table is behind the adapters. */
export class InMemoryBank {
  readonly leadItems = new Map<string, Lead>();
  readonly timelines = new Map<string, Map<string, TimelineEntry>>();
  readonly claims = new Map<string, Claim>();
  readonly pending = new Map<string, string>();
  readonly managerItems = new Map<string, PersonalManager>();
  readonly clientItems = new Map<string, Client>();
  readonly notificationItems = new Map<string, NotificationItem>();
  readonly referralCodes = new Map<string, Referrer>();
  readonly enquiryItems = new Map<string, Enquiry[]>();
  readonly lastTouches = new Map<string, Touch>();
  /** The new leads counted per month, source, medium and campaign (shared/ad-spend). */
  readonly leadCounts = new Map<string, LeadCount>();

  countLead(count: LeadSourceCount, costKopecks = 0): void {
    const key = JSON.stringify([count.month, count.source, count.medium, count.campaign]);
    const was = this.leadCounts.get(key);
    this.leadCounts.set(key, {
      ...count,
      leads: (was?.leads ?? 0) + 1,
      conversions: was?.conversions ?? 0,
      leadCostsKopecks: (was?.leadCostsKopecks ?? 0) + costKopecks,
    });
  }

  countConversion(count: LeadSourceCount): void {
    const key = JSON.stringify([count.month, count.source, count.medium, count.campaign]);
    const was = this.leadCounts.get(key);
    this.leadCounts.set(key, {
      ...count,
      leads: was?.leads ?? 0,
      conversions: (was?.conversions ?? 0) + 1,
      leadCostsKopecks: was?.leadCostsKopecks ?? 0,
    });
  }

  readonly leads: Leads = new InMemoryLeads(this);
  readonly managers: Managers = {
    list: async () => [...this.managerItems.values()].map(copy),
    get: async (managerId) => copy(this.managerItems.get(managerId)),
  };
  readonly clients: Clients = {
    findByInn: async (inn) => copy(this.clientItems.get(inn)),
    clientsAmong: async (inns) => new Set(inns.filter((inn) => this.clientItems.has(inn))),
  };
  /** The referral programme's items: referrals by `<clientId>#<leadId>`, claims by INN hash, counts by `<code>#<day>`. */
  readonly referrals = new Map<string, Referral>();
  readonly referredClaims = new Map<string, { leadId: string; clientId: string; expiresAt?: number }>();
  readonly referralDays = new Map<string, number>();
  readonly referrers: Referrers = {
    byCode: async (code) => copy(this.referralCodes.get(code)),
    firstReferralOf: async (innHash, at) => {
      const claim = this.referredClaims.get(innHash);
      if (!claim || (claim.expiresAt !== undefined && claim.expiresAt < Date.parse(at) / 1000))
        return undefined;
      return { leadId: claim.leadId, clientId: claim.clientId };
    },
    leadsOnDay: async (code, day) => this.referralDays.get(`${code}#${day}`) ?? 0,
  };

  /** What the capture's transaction writes with a referred lead (shared/adapters/referral-store.ts). */
  keepReferral(write: ReferralWrite): void {
    const { referral } = write;
    this.referrals.set(`${referral.clientId}#${referral.leadId}`, copy(referral));
    this.referredClaims.set(write.innHash, {
      leadId: referral.leadId,
      clientId: referral.clientId,
      expiresAt: Date.parse(write.claimUntil) / 1000,
    });
    const day = `${referral.code}#${write.day}`;
    this.referralDays.set(day, (this.referralDays.get(day) ?? 0) + 1);
  }
  readonly notifications: Notifications = new InMemoryNotifications(this);

  async putManager(manager: PersonalManager): Promise<void> {
    this.managerItems.set(manager.managerId, copy(manager));
  }

  async putClient(client: Client): Promise<void> {
    this.clientItems.set(client.inn, copy(client));
  }

  async putReferralCode(referrer: Referrer): Promise<void> {
    this.referralCodes.set(referrer.code, copy(referrer));
  }

  /** The stored notification of a manager about a lead, as the record reads. */
  notification(leadId: string, managerId: string): NotificationItem | undefined {
    return copy(this.notificationItems.get(`${leadId}#${managerId}`));
  }

  putEntry(leadId: string, key: string, entry: TimelineEntry): void {
    const timeline = this.timelines.get(leadId) ?? new Map<string, TimelineEntry>();
    timeline.set(key, copy(entry));
    this.timelines.set(leadId, timeline);
  }
}

class InMemoryNotifications implements Notifications {
  private readonly bank: InMemoryBank;
  constructor(bank: InMemoryBank) {
    this.bank = bank;
  }

  async claim(leadId: string, managerId: string): Promise<NotificationClaim> {
    const key = `${leadId}#${managerId}`;
    const item = this.bank.notificationItems.get(key);
    if (item?.status === 'sent') {
      return { kind: 'already_sent', messageId: item.messageId ?? '', attempt: item.attempts };
    }
    const next = {
      status: 'sending' as const,
      claimId: item?.claimId ?? randomUUID(),
      attempts: (item?.attempts ?? 0) + 1,
    };
    this.bank.notificationItems.set(key, next);
    return { kind: 'claimed', claimId: next.claimId, attempt: next.attempts };
  }

  async recordSent(
    leadId: string,
    managerId: string,
    sent: { claimId: string; attempt: number; messageId: string; at: string },
    entry: TimelineEntry,
  ): Promise<'recorded' | 'already_recorded'> {
    const key = `${leadId}#${managerId}`;
    const item = this.bank.notificationItems.get(key);
    if (item?.status !== 'sending' || item.claimId !== sent.claimId) return 'already_recorded';
    this.bank.notificationItems.set(key, {
      ...item,
      status: 'sent',
      messageId: sent.messageId,
      possibleRepeat: sent.attempt > 1,
    });
    this.bank.putEntry(leadId, `${entry.kind}#${managerId}`, entry);
    return 'recorded';
  }
}

/** A mailbox that keeps what was sent and answers a message id per email. */
export class InMemoryMail implements Mail {
  readonly sent: (Email & { messageId: string })[] = [];

  async send(email: Email): Promise<string> {
    const messageId = `message-${this.sent.length + 1}`;
    this.sent.push({ ...copy(email), messageId });
    return messageId;
  }
}

/** Keeps every published event, checked against its contract as the EventBridge adapter checks it. */
export class RecordedEvents implements LeadEvents {
  readonly published: { type: LeadEventType; detail: Record<string, unknown> }[] = [];

  async publish<T extends LeadEventType>(type: T, detail: LeadEventDetail<T>): Promise<void> {
    this.published.push({ type, detail: LEAD_EVENTS[type].parse(detail) });
  }

  of(type: LeadEventType) {
    return this.published.filter((e) => e.type === type).map((e) => e.detail);
  }
}
