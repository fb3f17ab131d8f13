import type { LeadSourceCount } from '#shared/ad-spend/ad-spend.ts';
import type {
  Assignment,
  Lead,
  LeadOutcome,
  LeadStatus,
  RoutingRecord,
  TimelineEntry,
} from '#shared/leads/lead.ts';
import { leadRecordOf } from '#shared/leads/lead-view.ts';
import type {
  CapacityClaim,
  CaptureResult,
  EnquiriesPage,
  EnquiryResult,
  IdempotencyClaim,
  LeadRecord,
  Leads,
  NewEnquiry,
  NewLead,
  PageCursor,
} from '#shared/leads/ports.ts';
import { InvalidPageCursor } from '#shared/leads/ports.ts';
import type { LeadClass, Score } from '#shared/leads/scoring.ts';
import { touchOrder } from '#shared/leads/touch.ts';
import { pauseAfter } from '#shared/managers/acceptance-sla.ts';
import type { Exclusion } from '#shared/managers/routing-policy.ts';
import type { Claim, InMemoryBank } from './in-memory.ts';

/** Values are copied in and out, as a store would. */
export const copy = <T>(value: T): T => structuredClone(value);
const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

class LeadNotStored extends Error {
  override name = 'LeadNotFound';
}

/** The lead-store port in memory, with the DynamoDB adapter's conditions (the port contract holds both to them). */
export class InMemoryLeads implements Leads {
  private readonly bank: InMemoryBank;
  constructor(bank: InMemoryBank) {
    this.bank = bank;
  }

  async capture(args: NewLead): Promise<CaptureResult> {
    const { lead, idempotency } = args;
    const now = seconds(lead.receivedAt);
    const held = (key: string) => {
      const claim = this.bank.claims.get(key);
      return claim && !(claim.expiresAt < now) ? claim : undefined;
    };
    const duplicateKeys = args.duplicateKeys.map((k) => `${k.kind}#${k.value}`);
    const idempotencyKey = idempotency && `idempotency#${idempotency.key}`;
    const anyHeld = [...duplicateKeys, ...(idempotencyKey ? [idempotencyKey] : [])].some(held);
    if (!anyHeld && !this.bank.leadItems.has(lead.leadId)) {
      this.bank.leadItems.set(lead.leadId, copy(lead));
      this.bank.pending.set(lead.leadId, `${lead.receivedAt}#${lead.leadId}`);
      if (args.sourceCount) this.bank.countLead(args.sourceCount, lead.offline?.costKopecks);
      if (args.referral) this.bank.keepReferral(args.referral);
      const until = seconds(args.duplicateUntil);
      for (const key of duplicateKeys) this.bank.claims.set(key, { leadId: lead.leadId, expiresAt: until });
      if (idempotency && idempotencyKey) this.takeIdempotency(idempotencyKey, idempotency, lead.leadId);
      return { outcome: 'created', leadId: lead.leadId };
    }
    const replay = idempotencyKey && held(idempotencyKey);
    if (replay && idempotency) return replayOf(replay, idempotency);
    const holders = args.duplicateKeys.map((k, i) => ({
      kind: k.kind,
      holder: held(duplicateKeys[i] ?? ''),
    }));
    const first = holders.find((h) => h.holder)?.holder;
    if (!first) throw new Error('Lead capture was cancelled without a held claim');
    const matchedBy = holders.filter((h) => h.holder?.leadId === first.leadId).map((h) => h.kind);
    return { outcome: 'held', leadId: first.leadId, matchedBy };
  }

  async addEnquiry({ enquiry, entry, touch, idempotency, limit }: NewEnquiry): Promise<EnquiryResult> {
    const now = seconds(enquiry.receivedAt);
    const idempotencyKey = idempotency && `idempotency#${idempotency.key}`;
    const claim = idempotencyKey ? this.bank.claims.get(idempotencyKey) : undefined;
    if (idempotency && claim && !(claim.expiresAt < now)) return replayOf(claim, idempotency);
    const kept = this.bank.enquiryItems.get(enquiry.leadId) ?? [];
    if (kept.length >= limit) return { outcome: 'limit_reached', leadId: enquiry.leadId };
    this.bank.enquiryItems.set(enquiry.leadId, [...kept, copy(enquiry)]);
    this.bank.putEntry(enquiry.leadId, `touch#${entry.at}#${enquiry.enquiryId}`, entry);
    const last = this.bank.lastTouches.get(enquiry.leadId);
    if (!last || touchOrder(last) < touchOrder(touch)) this.bank.lastTouches.set(enquiry.leadId, copy(touch));
    if (idempotency && idempotencyKey) this.takeIdempotency(idempotencyKey, idempotency, enquiry.leadId);
    return { outcome: 'added', leadId: enquiry.leadId };
  }

  async enquiries(leadId: string, page: { size: number; after?: PageCursor }): Promise<EnquiriesPage> {
    const all = this.bank.enquiryItems.get(leadId) ?? [];
    const at = page.after === undefined ? -1 : all.findIndex((e) => e.enquiryId === page.after);
    if (page.after !== undefined && at < 0) throw new InvalidPageCursor(page.after);
    const start = at + 1;
    const enquiries = all.slice(start, start + page.size).map(copy);
    const last = enquiries.at(-1);
    return { enquiries, ...(last && start + page.size < all.length ? { after: last.enquiryId } : {}) };
  }

  private takeIdempotency(key: string, idempotency: IdempotencyClaim, leadId: string) {
    this.bank.claims.set(key, {
      leadId,
      expiresAt: seconds(idempotency.until),
      fingerprint: idempotency.fingerprint,
    });
  }

  async get(leadId: string): Promise<Lead | undefined> {
    return copy(this.bank.leadItems.get(leadId));
  }

  async read(leadId: string): Promise<LeadRecord | undefined> {
    const lead = this.bank.leadItems.get(leadId);
    if (!lead) return undefined;
    const timeline = [...(this.bank.timelines.get(leadId)?.values() ?? [])];
    return copy(leadRecordOf(lead, timeline, this.bank.lastTouches.get(leadId)));
  }

  async recordExistingClient(
    leadId: string,
    existingClient: NonNullable<Lead['existingClient']>,
    entry: TimelineEntry,
  ): Promise<void> {
    this.change(leadId, entry.kind, entry, (lead) => ({ ...lead, existingClient }));
  }

  async recordAssessment(
    leadId: string,
    assessment: { score: Score; leadClass: LeadClass; status: LeadStatus },
    entry: TimelineEntry,
  ): Promise<'recorded' | 'already_assigned'> {
    if (this.stored(leadId).assignment) return 'already_assigned';
    this.change(leadId, entry.kind, entry, (lead) => ({ ...lead, ...assessment }));
    return 'recorded';
  }

  async assignIfUnassigned(
    leadId: string,
    assignment: Assignment,
    step: {
      status: LeadStatus;
      entry: TimelineEntry;
      routing: RoutingRecord;
      capacity: CapacityClaim;
    },
  ): Promise<'assigned' | 'already_assigned' | 'no_capacity' | 'outranked'> {
    if (this.stored(leadId).assignment) return 'already_assigned';
    const manager = this.bank.managerItems.get(step.capacity.managerId);
    if (!manager) return 'no_capacity';
    if (step.capacity.withinLimit && !(manager.active && manager.activeLeads < manager.capacity)) {
      return 'no_capacity';
    }
    const { loadAtMost } = step.capacity;
    if (loadAtMost !== undefined && manager.activeLeads > loadAtMost) return 'outranked';
    manager.activeLeads += 1;
    if (step.capacity.turn) manager.lastAssignedAt = assignment.assignedAt;
    this.change(leadId, `assigned#${assignment.attempt}`, step.entry, (lead) => ({
      ...lead,
      assignment,
      status: step.status,
      routing: structuredClone(step.routing),
    }));
    return 'assigned';
  }

  async markAwaitingManager(
    leadId: string,
    entry: TimelineEntry,
    routing: RoutingRecord,
    attempt = 1,
  ): Promise<'recorded' | 'already_assigned'> {
    if (this.stored(leadId).assignment) return 'already_assigned';
    this.change(leadId, `awaiting_manager#${attempt}`, entry, (lead) => ({
      ...lead,
      status: 'awaiting_manager',
      routing: structuredClone(routing),
    }));
    return 'recorded';
  }

  async awaitAcceptance(
    leadId: string,
    wait: { assignmentId: string; taskToken: string },
  ): Promise<'waiting' | 'decided'> {
    const lead = this.bank.leadItems.get(leadId);
    if (!lead || !isOpen(lead, wait.assignmentId)) return 'decided';
    this.bank.leadItems.set(leadId, copy({ ...lead, acceptanceWait: wait }));
    return 'waiting';
  }

  async acceptAssignment(
    leadId: string,
    assignment: Assignment,
    acceptedAt: string,
    entry: TimelineEntry,
  ): Promise<'accepted' | 'not_open'> {
    if (!isOpen(this.stored(leadId), assignment.assignmentId)) return 'not_open';
    this.change(leadId, `accepted#${assignment.attempt}`, entry, (lead) => ({
      ...lead,
      assignment: { ...assignment, acceptedAt },
      status: 'accepted',
    }));
    return 'accepted';
  }

  async endHold(
    leadId: string,
    assignment: Assignment,
    exclusion: Exclusion,
    entry: TimelineEntry,
  ): Promise<'ended' | 'not_open'> {
    if (!isOpen(this.stored(leadId), assignment.assignmentId)) return 'not_open';
    const manager = this.bank.managerItems.get(assignment.managerId);
    if (!manager || manager.activeLeads < 1)
      throw new Error(`Capacity of ${assignment.managerId} could not be given back`);
    manager.activeLeads -= 1;
    if (exclusion.why === 'timed_out') manager.pausedUntil = pauseAfter(assignment, entry.at);
    this.change(leadId, `${entry.kind}#${assignment.attempt}`, entry, ({ assignment: _ended, ...lead }) => ({
      ...lead,
      status: 'reassigning',
      exclusions: [...(lead.exclusions ?? []), exclusion],
    }));
    return 'ended';
  }

  async reassign(
    leadId: string,
    from: Assignment,
    to: Assignment,
    entry: TimelineEntry,
  ): Promise<'reassigned' | 'not_held'> {
    const lead = this.stored(leadId);
    if (lead.assignment?.assignmentId !== from.assignmentId || lead.outcome) return 'not_held';
    const holder = this.bank.managerItems.get(from.managerId);
    const taker = this.bank.managerItems.get(to.managerId);
    if (!holder || holder.activeLeads < 1 || !taker) {
      throw new Error(`Lead ${leadId} could not move from ${from.managerId} to ${to.managerId}`);
    }
    holder.activeLeads -= 1;
    taker.activeLeads += 1;
    this.change(leadId, `assigned#${to.attempt}`, entry, (stored) => ({
      ...stored,
      assignment: to,
      status: 'assigned',
      exclusions: [...(stored.exclusions ?? []), { managerId: from.managerId, why: 'reassigned' }],
    }));
    return 'reassigned';
  }

  async recordOutcome(
    leadId: string,
    assignment: Assignment,
    outcome: LeadOutcome,
    entry: TimelineEntry,
    conversion?: LeadSourceCount,
  ): Promise<'recorded' | 'not_open'> {
    const lead = this.stored(leadId);
    const held = lead.assignment?.assignmentId === assignment.assignmentId && lead.assignment.acceptedAt;
    if (!held || lead.outcome) return 'not_open';
    const manager = this.bank.managerItems.get(assignment.managerId);
    if (!manager || manager.activeLeads < 1) {
      throw new Error(`Capacity of ${assignment.managerId} could not be given back`);
    }
    manager.activeLeads -= 1;
    if (conversion) this.bank.countConversion(conversion);
    this.change(leadId, entry.kind, entry, (stored) => ({ ...stored, status: outcome.kind, outcome }));
    return 'recorded';
  }

  async markEscalated(
    leadId: string,
    entry: TimelineEntry,
    attempts: number,
  ): Promise<'recorded' | 'already_assigned'> {
    if (this.stored(leadId).assignment) return 'already_assigned';
    this.change(leadId, `escalated#${attempts}`, entry, (lead) => ({ ...lead, status: 'escalated' }));
    return 'recorded';
  }

  async recordIntakeFailure(
    leadId: string,
    failure: { error: string; at: string },
    entry: TimelineEntry,
  ): Promise<'recorded' | 'already_failed'> {
    if (this.stored(leadId).status === 'intake_failed') return 'already_failed';
    this.change(leadId, `intake_failed#${failure.at}`, entry, (lead) => ({
      ...lead,
      status: 'intake_failed',
      failure,
    }));
    return 'recorded';
  }

  async resumeAfterFailure(
    leadId: string,
    status: LeadStatus,
    entry: TimelineEntry,
  ): Promise<'resumed' | 'not_failed'> {
    if (this.stored(leadId).status !== 'intake_failed') return 'not_failed';
    this.change(leadId, `intake_resumed#${entry.at}`, entry, ({ failure: _cleared, ...lead }) => ({
      ...lead,
      status,
    }));
    return 'resumed';
  }

  async pendingIntake(
    before: string,
    page: { size: number; after?: PageCursor },
  ): Promise<{ leadIds: string[]; after?: PageCursor }> {
    const positions = [...this.bank.pending.entries()]
      .filter(([, position]) => position < before && (page.after === undefined || position > page.after))
      .sort(([, a], [, b]) => (a < b ? -1 : 1))
      .slice(0, page.size);
    const last = positions.at(-1)?.[1];
    // Like a Query with Limit: a full page says where it stopped, even when nothing follows.
    return {
      leadIds: positions.map(([leadId]) => leadId),
      ...(positions.length === page.size && last ? { after: last } : {}),
    };
  }

  async confirmIntakeStarted(leadId: string): Promise<void> {
    this.stored(leadId);
    this.bank.pending.delete(leadId);
  }

  private stored(leadId: string): Lead {
    const lead = this.bank.leadItems.get(leadId);
    if (!lead) throw new LeadNotStored(`Lead ${leadId} does not exist`);
    return lead;
  }

  private change(leadId: string, key: string, entry: TimelineEntry, update: (lead: Lead) => Lead): void {
    this.bank.leadItems.set(leadId, copy(update(this.stored(leadId))));
    this.bank.putEntry(leadId, key, entry);
  }
}

function replayOf(
  claim: Claim,
  idempotency: IdempotencyClaim,
): { outcome: 'replayed'; leadId: string } | { outcome: 'idempotency_conflict' } {
  return claim.fingerprint === idempotency.fingerprint
    ? { outcome: 'replayed', leadId: claim.leadId }
    : { outcome: 'idempotency_conflict' };
}

/** The assignment is the lead's, and not accepted yet. */
const isOpen = (lead: Lead, assignmentId: string) =>
  lead.assignment?.assignmentId === assignmentId && !lead.assignment.acceptedAt;
