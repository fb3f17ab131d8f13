import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LeadSourceCount } from '../ad-spend/ad-spend.ts';
import type {
  Assignment,
  Lead,
  LeadOutcome,
  LeadStatus,
  RoutingRecord,
  TimelineEntry,
} from '../leads/lead.ts';
import { leadRecordOf } from '../leads/lead-view.ts';
import type { CapacityClaim, LeadRecord, Leads, PageCursor } from '../leads/ports.ts';
import type { LeadClass, Score } from '../leads/scoring.ts';
import { slaBreachOf } from '../leads/unit-overview.ts';
import { pauseAfter } from '../managers/acceptance-sla.ts';
import type { Exclusion } from '../managers/routing-policy.ts';
import { lastTouchOf } from './capture-store.ts';
import { LeadNotStored, LeadSteps, OPEN_ASSIGNMENT, onList, UNASSIGNED } from './lead-steps.ts';
import { sourceCountAdd } from './source-counter.ts';
import { keys, PENDING_INTAKE_INDEX, WORK_INDEX, withoutKeys } from './table.ts';

/** Leads and their timelines in the Attract table: captures (CaptureStore), intake steps and reads. */
export class LeadStore extends LeadSteps implements Leads {
  /** One page of the sparse pending-intake index, oldest first; the cursor is DynamoDB's LastEvaluatedKey. */
  async pendingIntake(
    before: string,
    page: { size: number; after?: PageCursor },
  ): Promise<{ leadIds: string[]; after?: PageCursor }> {
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: PENDING_INTAKE_INDEX.name,
        KeyConditionExpression: 'gsi2pk = :pending AND gsi2sk < :before',
        ExpressionAttributeValues: { ':pending': PENDING_INTAKE_INDEX.pk, ':before': before },
        Limit: page.size,
        ...(page.after ? { ExclusiveStartKey: JSON.parse(page.after) } : {}),
      }),
    );
    return {
      leadIds: Items.map((item) => String(item.leadId)),
      ...(LastEvaluatedKey ? { after: JSON.stringify(LastEvaluatedKey) } : {}),
    };
  }

  /** The workflow is known to exist: the lead leaves the pending index. */
  async confirmIntakeStarted(leadId: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.lead(leadId),
        UpdateExpression: 'REMOVE gsi2pk, gsi2sk',
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
  }

  /** The lead item alone: what the workflow steps need. */
  async get(leadId: string): Promise<Lead | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.lead(leadId), ConsistentRead: true }),
    );
    return Item ? withoutKeys<Lead>(Item) : undefined;
  }

  /** The lead with its timeline: what people read. */
  async read(leadId: string): Promise<LeadRecord | undefined> {
    const items = await this.queryAll({
      // From `LEAD` on: the lead, its notifications and timeline, but not its enquiries (read by page).
      KeyConditionExpression: 'pk = :pk AND sk >= :lead',
      ExpressionAttributeValues: { ':pk': keys.lead(leadId).pk, ':lead': keys.lead(leadId).sk },
      ConsistentRead: true,
    });
    const leadItem = items.find((item) => item.sk === 'LEAD');
    if (!leadItem) return undefined;
    const entries = items
      .filter((item) => String(item.sk).startsWith('TIMELINE#'))
      .map((item) => withoutKeys<TimelineEntry>(item));
    const touchItem = items.find((item) => item.sk === keys.lastTouch(leadId).sk);
    return leadRecordOf(withoutKeys<Lead>(leadItem), entries, touchItem && lastTouchOf(touchItem));
  }

  async recordExistingClient(
    leadId: string,
    existingClient: NonNullable<Lead['existingClient']>,
    entry: TimelineEntry,
  ): Promise<void> {
    const cancelled = await this.step(leadId, { set: { existingClient }, entry });
    if (cancelled) throw new LeadNotStored(leadId);
  }

  async recordAssessment(
    leadId: string,
    assessment: { score: Score; leadClass: LeadClass; status: LeadStatus },
    entry: TimelineEntry,
  ): Promise<'recorded' | 'already_assigned'> {
    const cancelled = await this.step(leadId, { set: assessment, condition: UNASSIGNED, entry });
    return cancelled ? this.leadRefusal(leadId, cancelled, 'already_assigned') : 'recorded';
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
    const cancelled = await this.step(leadId, {
      set: {
        assignment,
        status: step.status,
        routing: step.routing,
        ...onList(WORK_INDEX.holder(assignment.managerId), step.status, assignment.acceptance.dueAt),
      },
      condition: UNASSIGNED,
      // Each offer keeps its own entry: a retried step rewrites it, a reassignment adds one.
      entryKey: `assigned#${assignment.attempt}`,
      entry: step.entry,
      alongside: [this.takeCapacity(step.capacity, assignment.assignedAt)],
    });
    if (!cancelled) return 'assigned';
    // Reasons come in item order: the lead's own condition first, then its entry, then the manager's claim.
    if (cancelled[0]?.code === 'ConditionalCheckFailed')
      return this.leadRefusal(leadId, cancelled, 'already_assigned');
    return this.capacityRefusal(step.capacity, cancelled[2]?.item);
  }

  async markAwaitingManager(
    leadId: string,
    entry: TimelineEntry,
    routing: RoutingRecord,
    attempt = 1,
  ): Promise<'recorded' | 'already_assigned'> {
    const cancelled = await this.step(leadId, {
      set: { status: 'awaiting_manager', routing, ...onList(WORK_INDEX.head, 'awaiting_manager', entry.at) },
      condition: UNASSIGNED,
      entryKey: `awaiting_manager#${attempt}`,
      entry,
    });
    return cancelled ? this.leadRefusal(leadId, cancelled, 'already_assigned') : 'recorded';
  }

  async awaitAcceptance(
    leadId: string,
    wait: { assignmentId: string; taskToken: string },
  ): Promise<'waiting' | 'decided'> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.lead(leadId),
          UpdateExpression: 'SET acceptanceWait = :wait',
          ConditionExpression: OPEN_ASSIGNMENT,
          ExpressionAttributeValues: { ':wait': wait, ':assignmentId': wait.assignmentId },
        }),
      );
      return 'waiting';
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return 'decided';
      throw error;
    }
  }

  async acceptAssignment(
    leadId: string,
    assignment: Assignment,
    acceptedAt: string,
    entry: TimelineEntry,
  ): Promise<'accepted' | 'not_open'> {
    const cancelled = await this.step(leadId, {
      set: {
        assignment: { ...assignment, acceptedAt },
        status: 'accepted',
        ...onList(WORK_INDEX.holder(assignment.managerId), 'accepted', acceptedAt),
      },
      condition: OPEN_ASSIGNMENT,
      values: { ':assignmentId': assignment.assignmentId },
      entryKey: `accepted#${assignment.attempt}`,
      entry,
      breach: slaBreachOf(leadId, assignment, { kind: 'accepted_late', at: acceptedAt }),
    });
    return cancelled ? this.leadRefusal(leadId, cancelled, 'not_open') : 'accepted';
  }

  async endHold(
    leadId: string,
    assignment: Assignment,
    exclusion: Exclusion,
    entry: TimelineEntry,
  ): Promise<'ended' | 'not_open'> {
    const cancelled = await this.step(leadId, {
      set: { status: 'reassigning' },
      append: { exclusions: [exclusion] },
      // Between two managers the lead is on nobody's list.
      remove: ['assignment', 'gsi3pk', 'gsi3sk'],
      condition: OPEN_ASSIGNMENT,
      values: { ':assignmentId': assignment.assignmentId },
      entryKey: `${entry.kind}#${assignment.attempt}`,
      entry,
      ...(exclusion.why === 'timed_out'
        ? { breach: slaBreachOf(leadId, assignment, { kind: 'timed_out', at: entry.at }) }
        : {}),
      alongside: [
        this.releaseCapacity(
          assignment.managerId,
          exclusion.why === 'timed_out' ? pauseAfter(assignment, entry.at) : undefined,
        ),
      ],
    });
    if (!cancelled) return 'ended';
    if (cancelled[0]?.code === 'ConditionalCheckFailed')
      return this.leadRefusal(leadId, cancelled, 'not_open');
    // The lead's condition held, so the manager's own item refused: their load was already zero.
    throw new Error(`Capacity of manager ${assignment.managerId} could not be given back for lead ${leadId}`);
  }

  async reassign(
    leadId: string,
    from: Assignment,
    to: Assignment,
    entry: TimelineEntry,
  ): Promise<'reassigned' | 'not_held'> {
    const cancelled = await this.step(leadId, {
      set: {
        assignment: to,
        status: 'assigned',
        ...onList(WORK_INDEX.holder(to.managerId), 'assigned', to.acceptance.dueAt),
      },
      append: { exclusions: [{ managerId: from.managerId, why: 'reassigned' }] },
      condition: 'assignment.assignmentId = :assignmentId AND attribute_not_exists(outcome)',
      values: { ':assignmentId': from.assignmentId },
      entryKey: `assigned#${to.attempt}`,
      entry,
      alongside: [
        this.releaseCapacity(from.managerId),
        this.takeCapacity({ managerId: to.managerId, withinLimit: false, turn: false }, to.assignedAt),
      ],
    });
    if (!cancelled) return 'reassigned';
    if (cancelled[0]?.code === 'ConditionalCheckFailed')
      return this.leadRefusal(leadId, cancelled, 'not_held');
    throw new Error(`Lead ${leadId} could not move from manager ${from.managerId} to ${to.managerId}`);
  }

  async recordOutcome(
    leadId: string,
    assignment: Assignment,
    outcome: LeadOutcome,
    entry: TimelineEntry,
    conversion?: LeadSourceCount,
  ): Promise<'recorded' | 'not_open'> {
    const cancelled = await this.step(leadId, {
      set: {
        status: outcome.kind,
        outcome,
        ...onList(WORK_INDEX.holder(assignment.managerId), outcome.kind, outcome.at),
      },
      condition:
        'assignment.assignmentId = :assignmentId AND attribute_exists(assignment.acceptedAt) AND attribute_not_exists(outcome)',
      values: { ':assignmentId': assignment.assignmentId },
      entry,
      alongside: [
        this.releaseCapacity(assignment.managerId),
        // Counted with the outcome or not at all: the lead's condition makes it once.
        ...(conversion ? [sourceCountAdd(this.tableName, conversion, leadId, 'conversions')] : []),
      ],
    });
    if (!cancelled) return 'recorded';
    if (cancelled[0]?.code === 'ConditionalCheckFailed')
      return this.leadRefusal(leadId, cancelled, 'not_open');
    throw new Error(`Capacity of manager ${assignment.managerId} could not be given back for lead ${leadId}`);
  }

  async markEscalated(
    leadId: string,
    entry: TimelineEntry,
    attempts: number,
  ): Promise<'recorded' | 'already_assigned'> {
    const cancelled = await this.step(leadId, {
      set: { status: 'escalated', ...onList(WORK_INDEX.head, 'escalated', entry.at) },
      condition: UNASSIGNED,
      entryKey: `escalated#${attempts}`,
      entry,
    });
    return cancelled ? this.leadRefusal(leadId, cancelled, 'already_assigned') : 'recorded';
  }

  async recordIntakeFailure(
    leadId: string,
    failure: { error: string; at: string },
    entry: TimelineEntry,
  ): Promise<'recorded' | 'already_failed'> {
    const cancelled = await this.step(leadId, {
      // A failed lead leaves whatever list it was on for the head of unit's, until a new run resumes it.
      set: { status: 'intake_failed', failure, ...onList(WORK_INDEX.head, 'intake_failed', failure.at) },
      condition: '#status <> :failed',
      values: { ':failed': 'intake_failed' },
      // Each failed run keeps its own entry: a lead may fail, be run again, and fail again.
      entryKey: `intake_failed#${failure.at}`,
      entry,
    });
    return cancelled ? this.leadRefusal(leadId, cancelled, 'already_failed') : 'recorded';
  }

  async resumeAfterFailure(
    leadId: string,
    status: LeadStatus,
    entry: TimelineEntry,
  ): Promise<'resumed' | 'not_failed'> {
    // Back on the list its status and holder say: a manager's, the head of unit's, or none yet (the run's
    // next step places it).
    const { assignment } = (await this.get(leadId)) ?? {};
    const place = assignment
      ? onList(
          WORK_INDEX.holder(assignment.managerId),
          status,
          assignment.acceptedAt ?? assignment.acceptance.dueAt,
        )
      : status === 'awaiting_manager' || status === 'escalated'
        ? onList(WORK_INDEX.head, status, entry.at)
        : undefined;
    const cancelled = await this.step(leadId, {
      set: { status, ...place },
      remove: place ? ['failure'] : ['failure', 'gsi3pk', 'gsi3sk'],
      condition: '#status = :failed',
      values: { ':failed': 'intake_failed' },
      entryKey: `intake_resumed#${entry.at}`,
      entry,
    });
    return cancelled ? this.leadRefusal(leadId, cancelled, 'not_failed') : 'resumed';
  }
}
