import type { LeadStatus, TimelineEntry } from '../leads/lead.ts';
import type { CapacityClaim } from '../leads/ports.ts';
import type { SlaBreach } from '../leads/unit-overview.ts';
import { CaptureStore } from './capture-store.ts';
import { type Cancellation, keys, type TransactItems, timelinePut, transact } from './table.ts';

/** A step was asked of a lead the table does not hold: a bug upstream, so the step fails. */
export class LeadNotStored extends Error {
  override name = 'LeadNotFound';
  constructor(leadId: string) {
    super(`Lead ${leadId} does not exist`);
  }
}

/** The lead's place on a work list (GSI3): whose list, and its status and time there. */
export const onList = (list: string, status: LeadStatus, at: string) => ({
  gsi3pk: list,
  gsi3sk: `${status}#${at}`,
});

/** Never move a lead back once a manager has it. */
export const UNASSIGNED = 'attribute_not_exists(assignment)';
/** The assignment `:assignmentId` is the lead's, and its manager has not accepted it yet. */
export const OPEN_ASSIGNMENT =
  'assignment.assignmentId = :assignmentId AND attribute_not_exists(assignment.acceptedAt)';

/**
 * How a step on a lead is written: one transaction of the lead's update (with its condition), the step's
 * timeline entry, and whatever must change with it (a manager's load, taken or given back).
 */
export abstract class LeadSteps extends CaptureStore {
  /** A refused step: the lead's condition said no, unless the lead itself is missing. */
  protected leadRefusal<R extends string>(leadId: string, cancelled: Cancellation, refusal: R): R {
    if (cancelled[0]?.code !== 'ConditionalCheckFailed')
      throw new Error(`Step on lead ${leadId} was cancelled`);
    if (!cancelled[0].item) throw new LeadNotStored(leadId);
    return refusal;
  }

  /**
   * One unit of the manager's load given back. Never below zero: a unit is given back only with the end of
   * the hold that took it, so a load already at zero is a bug to stop at, not to hide.
   */
  protected releaseCapacity(managerId: string, pausedUntil?: string) {
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.manager(managerId),
        // A hold that ended with the time running out also pauses the manager, for routing.
        UpdateExpression: pausedUntil
          ? 'ADD activeLeads :less SET pausedUntil = :until'
          : 'ADD activeLeads :less',
        ConditionExpression: 'activeLeads >= :one',
        ExpressionAttributeValues: {
          ':less': -1,
          ':one': 1,
          ...(pausedUntil ? { ':until': pausedUntil } : {}),
        },
      },
    };
  }

  /**
   * One unit of the manager's load, on the claim's terms (ports.ts): within the limit only while the
   * manager is active and has a unit free; only while their load is at most the claim's bound. A rotation
   * assignment also moves the turn (`lastAssignedAt`) to now. A refusal returns the manager's item.
   */
  protected takeCapacity(capacity: CapacityClaim, at: string) {
    const { withinLimit, turn, loadAtMost } = capacity;
    const conditions = [withinLimit ? '#active = :true AND activeLeads < #capacity' : 'attribute_exists(pk)'];
    if (loadAtMost !== undefined) conditions.push('activeLeads <= :atMost');
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.manager(capacity.managerId),
        UpdateExpression: turn ? 'ADD activeLeads :one SET lastAssignedAt = :at' : 'ADD activeLeads :one',
        ConditionExpression: conditions.join(' AND '),
        ...(withinLimit
          ? { ExpressionAttributeNames: { '#active': 'active', '#capacity': 'capacity' } }
          : {}),
        ExpressionAttributeValues: {
          ':one': 1,
          ...(withinLimit ? { ':true': true } : {}),
          ...(turn ? { ':at': at } : {}),
          ...(loadAtMost !== undefined ? { ':atMost': loadAtMost } : {}),
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
      },
    };
  }

  /** A refused claim: `outranked` when the manager still had room, only more leads than the bound. */
  protected capacityRefusal(capacity: CapacityClaim, manager: Record<string, unknown> | undefined) {
    const room =
      manager !== undefined &&
      (!capacity.withinLimit ||
        (manager.active === true && Number(manager.activeLeads) < Number(manager.capacity)));
    return capacity.loadAtMost !== undefined && room ? 'outranked' : 'no_capacity';
  }

  /**
   * Sets fields on the lead and writes the step's timeline entry, atomically. Step entries have fixed
   * keys (the kind, unless `entryKey` says otherwise), so a retried step rewrites the same entry.
   * Answers the cancellation reasons in item order (the lead's first) when a condition failed.
   */
  protected step(
    leadId: string,
    step: {
      set: Record<string, unknown>;
      /** Lists to append to, created when absent. */
      append?: Record<string, unknown[]>;
      remove?: string[];
      condition?: string;
      values?: Record<string, unknown>;
      entry: TimelineEntry;
      entryKey?: string;
      /** The entry records a breach of the acceptance SLA: it is on the breaches list too. */
      breach?: SlaBreach | undefined;
      alongside?: TransactItems;
    },
  ): Promise<Cancellation | undefined> {
    // DynamoDB refuses names an expression does not use.
    const names: Record<string, string> = step.condition?.includes('#status') ? { '#status': 'status' } : {};
    const values: Record<string, unknown> = { ...step.values };
    const assignments = Object.entries(step.set).map(([field, value], i) => {
      names[`#f${i}`] = field;
      values[`:v${i}`] = value;
      return `#f${i} = :v${i}`;
    });
    Object.entries(step.append ?? {}).forEach(([field, items], i) => {
      names[`#a${i}`] = field;
      values[`:a${i}`] = items;
      values[':none'] = [];
      assignments.push(`#a${i} = list_append(if_not_exists(#a${i}, :none), :a${i})`);
    });
    const removals = (step.remove ?? []).map((field, i) => {
      names[`#r${i}`] = field;
      return `#r${i}`;
    });
    const update = `SET ${assignments.join(', ')}${removals.length ? ` REMOVE ${removals.join(', ')}` : ''}`;
    const items: TransactItems = [
      {
        Update: {
          TableName: this.tableName,
          Key: keys.lead(leadId),
          UpdateExpression: update,
          ConditionExpression: `attribute_exists(pk)${step.condition ? ` AND (${step.condition})` : ''}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          // The stored lead comes back with a refusal, telling a refused step from a missing lead.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      timelinePut(this.tableName, leadId, step.entryKey ?? step.entry.kind, step.entry, step.breach),
      ...(step.alongside ?? []),
    ];
    return transact(this.client, items);
  }
}
