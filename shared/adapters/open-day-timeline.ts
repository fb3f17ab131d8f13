import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { NoticeClaim } from '../leads/notify-manager.ts';
import type { OpenDayProgress, RegistrantNotice } from '../open-days/open-day.ts';
import { noticeClaimAt } from './notification-store.ts';
import { NOTICES_OWED, OpenDayChanges, RUNS_PENDING } from './open-day-changes.ts';
import { keys, MANAGERS_INDEX, PENDING_INTAKE_INDEX } from './table.ts';

export { NOTICES_OWED, noticeListing, RUNS_PENDING } from './open-day-changes.ts';

/** The GSI1 partition of the seats offered from waitlists, by when each offer runs out. */
export const SEAT_OFFERS_LIST = 'SEAT_OFFERS';

/**
 * What moves an open day along in time, beside its seats (OpenDayStore extends it; it extends the door): the offers that run
 * out, the emails registrations owe, the OpenDay run's start and progress, the attendees' leads
 * (docs/open-days.md; docs/data-model.md, 21d).
 */
export abstract class OpenDayTimeline extends OpenDayChanges {
  async expiredOffers(before: string, limit: number): Promise<{ openDayId: string; emailHash: string }[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: MANAGERS_INDEX.name,
        KeyConditionExpression: 'gsi1pk = :offers AND gsi1sk < :before',
        ExpressionAttributeValues: { ':offers': SEAT_OFFERS_LIST, ':before': before },
        Limit: limit,
      }),
    );
    return Items.map((item) => ({ openDayId: String(item.openDayId), emailHash: String(item.emailHash) }));
  }

  async owedNotices(before: string, limit: number): Promise<{ openDayId: string; emailHash: string }[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: PENDING_INTAKE_INDEX.name,
        KeyConditionExpression: 'gsi2pk = :owed AND gsi2sk < :before',
        ExpressionAttributeValues: { ':owed': NOTICES_OWED, ':before': before },
        Limit: limit,
      }),
    );
    return Items.map((item) => ({
      openDayId: String(item.pk).slice('OPEN_DAY#'.length),
      emailHash: String(item.sk).slice('REG#'.length),
    }));
  }

  noticeClaim(openDayId: string, notice: string): NoticeClaim {
    return noticeClaimAt(this.client, this.tableName, keys.registrantNotice(openDayId, notice));
  }

  async runStarted(openDayId: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.openDay(openDayId),
        UpdateExpression: 'REMOVE gsi2pk, gsi2sk',
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
  }

  async unstartedRuns(before: string, limit: number): Promise<{ openDayId: string; run: string }[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: PENDING_INTAKE_INDEX.name,
        KeyConditionExpression: 'gsi2pk = :pending AND gsi2sk < :before',
        ExpressionAttributeValues: { ':pending': RUNS_PENDING, ':before': before },
        Limit: limit,
      }),
    );
    // Listed as `<since>#<run>` (the index keeps keys only); the first run is named by the open day's id.
    return Items.map((item) => ({
      openDayId: String(item.pk).slice('OPEN_DAY#'.length),
      run: String(item.gsi2sk).slice(String(item.gsi2sk).indexOf('#') + 1),
    }));
  }

  async recordLead(openDayId: string, emailHash: string, leadId: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.registration(openDayId, emailHash),
        UpdateExpression: 'SET leadId = :leadId',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':leadId': leadId },
      }),
    );
  }

  async setProgress(
    openDayId: string,
    run: string,
    progress: OpenDayProgress,
  ): Promise<'kept' | 'superseded'> {
    const held = progress.phase === 'held';
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.openDay(openDayId),
          UpdateExpression: `SET progress = :progress${held ? ', #status = :held' : ''}`,
          // Only the open day's current run keeps its progress (the first is named by the open day's id).
          ConditionExpression:
            run === openDayId
              ? 'attribute_exists(pk) AND (attribute_not_exists(#run) OR #run = :run)'
              : '#run = :run',
          ExpressionAttributeNames: { '#run': 'run', ...(held ? { '#status': 'status' } : {}) },
          ExpressionAttributeValues: {
            ':progress': progress,
            ':run': run,
            ...(held ? { ':held': 'held' } : {}),
          },
        }),
      );
      return 'kept';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'superseded';
      throw error;
    }
  }

  async noticeSent(
    openDayId: string,
    emailHash: string,
    notice: RegistrantNotice,
    toldSequence: number,
  ): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.registration(openDayId, emailHash),
          UpdateExpression: 'SET toldSequence = :told REMOVE notice, gsi2pk, gsi2sk',
          // A newer change owes its own email: only this one is cleared.
          ConditionExpression: 'notice.#at = :at AND notice.kind = :kind',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: { ':at': notice.at, ':kind': notice.kind, ':told': toldSequence },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
