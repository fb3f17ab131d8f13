import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { LeadStatus } from '../leads/lead.ts';
import {
  InvalidPageCursor,
  type PageCursor,
  type WorkItem,
  type WorkList,
  type WorkLists,
} from '../leads/ports.ts';
import type { SlaBreach, UnitWatch } from '../leads/unit-overview.ts';
import { keys, TableAdapter, WORK_INDEX, withoutKeys } from './table.ts';

/** The work lists on GSI3 (see WORK_INDEX): a manager's leads, and the head of unit's. */
export class WorkListStore extends TableAdapter implements WorkLists {
  async page(
    list: WorkList,
    page: { status?: LeadStatus; size: number; after?: PageCursor },
  ): Promise<{ items: WorkItem[]; after?: PageCursor }> {
    const pk = list === 'head_of_unit' ? WORK_INDEX.head : WORK_INDEX.holder(list.managerId);
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: WORK_INDEX.name,
        KeyConditionExpression: page.status
          ? 'gsi3pk = :pk AND begins_with(gsi3sk, :status)'
          : 'gsi3pk = :pk',
        ExpressionAttributeValues: { ':pk': pk, ...(page.status ? { ':status': `${page.status}#` } : {}) },
        Limit: page.size,
        ...(page.after ? { ExclusiveStartKey: { ...startKey(page.after), gsi3pk: pk } } : {}),
      }),
    );
    return {
      items: Items.map((item) => {
        const { company, ...rest } = withoutKeys<WorkItem & { company: WorkItem['company'] }>(item);
        return { ...rest, company: { name: company.name, inn: company.inn } };
      }),
      ...(LastEvaluatedKey ? { after: cursorOf(LastEvaluatedKey) } : {}),
    };
  }
}

/** What the head of unit's views read of GSI3: a manager's open offers, and the breaches list. */
export class UnitWatchStore extends TableAdapter implements UnitWatch {
  async openOfferDueTimes(managerId: string): Promise<string[]> {
    const items = await this.queryAll({
      IndexName: WORK_INDEX.name,
      KeyConditionExpression: 'gsi3pk = :pk AND begins_with(gsi3sk, :offered)',
      ExpressionAttributeValues: { ':pk': WORK_INDEX.holder(managerId), ':offered': 'assigned#' },
      ProjectionExpression: 'gsi3sk',
    });
    return items.map((item) => String(item.gsi3sk).slice('assigned#'.length));
  }

  async breaches(page: {
    size: number;
    after?: PageCursor;
  }): Promise<{ items: SlaBreach[]; after?: PageCursor }> {
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: WORK_INDEX.name,
        KeyConditionExpression: 'gsi3pk = :pk',
        ExpressionAttributeValues: { ':pk': WORK_INDEX.breaches },
        ScanIndexForward: false,
        Limit: page.size,
        ...(page.after
          ? { ExclusiveStartKey: { ...entryKey(page.after), gsi3pk: WORK_INDEX.breaches } }
          : {}),
      }),
    );
    return {
      items: Items.map((item) => item.breach as SlaBreach),
      ...(LastEvaluatedKey
        ? { after: encode([LastEvaluatedKey.gsi3sk, LastEvaluatedKey.pk, LastEvaluatedKey.sk]) }
        : {}),
    };
  }
}

const encode = (parts: unknown[]): PageCursor => Buffer.from(JSON.stringify(parts)).toString('base64url');

/** A breaches cursor back to the timeline entry it stopped at. */
function entryKey(cursor: PageCursor): Record<string, string> {
  try {
    const [sortKey, pk, sk] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    if (
      typeof sortKey === 'string' &&
      typeof pk === 'string' &&
      typeof sk === 'string' &&
      /^LEAD#[0-9a-f-]{36}$/i.test(pk) &&
      sk.startsWith('TIMELINE#')
    ) {
      return { pk, sk, gsi3sk: sortKey };
    }
  } catch {}
  throw new InvalidPageCursor('The cursor was not handed out by an earlier page');
}

/** The cursor is where the page stopped: the sort key and the lead, opaque to callers. */
const cursorOf = (key: Record<string, unknown>): PageCursor =>
  encode([key.gsi3sk, String(key.pk).slice('LEAD#'.length)]);

function startKey(cursor: PageCursor): Record<string, string> {
  try {
    const [sortKey, leadId] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    if (typeof sortKey === 'string' && typeof leadId === 'string' && /^[0-9a-f-]{36}$/i.test(leadId)) {
      return { ...keys.lead(leadId), gsi3sk: sortKey };
    }
  } catch {}
  throw new InvalidPageCursor('The cursor was not handed out by an earlier page');
}
