import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { NoticeClaim } from '../leads/notify-manager.ts';
import type { OpenDayProgress, RegistrantNotice } from '../open-days/open-day.ts';
import { noticeClaimAt } from './notification-store.ts';
import { OpenDayDoor } from './open-day-door.ts';
import { keys, MANAGERS_INDEX, PENDING_INTAKE_INDEX } from './table.ts';

/** The GSI2 partition of open days whose OpenDay run is not yet known started, by creation. */
export const RUNS_PENDING = 'OPEN_DAY_RUNS_PENDING';

/** The GSI2 partition of registrations that owe their registrant an email, by when it became owed. */
export const NOTICES_OWED = 'OPEN_DAY_NOTICES';

export const noticeListing = (registrationId: string, at: string) => ({
  gsi2pk: NOTICES_OWED,
  gsi2sk: `${at}#${registrationId}`,
});

/** The GSI1 partition of the seats offered from waitlists, by when each offer runs out. */
export const SEAT_OFFERS_LIST = 'SEAT_OFFERS';

/**
 * What moves an open day along in time, beside its seats (OpenDayStore extends it; it extends the door): the offers that run
 * out, the emails registrations owe, the OpenDay run's start and progress, the attendees' leads
 * (docs/open-days.md; docs/data-model.md, 21d).
 */
export abstract class OpenDayTimeline extends OpenDayDoor {
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

  async unstartedRuns(before: string, limit: number): Promise<string[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: PENDING_INTAKE_INDEX.name,
        KeyConditionExpression: 'gsi2pk = :pending AND gsi2sk < :before',
        ExpressionAttributeValues: { ':pending': RUNS_PENDING, ':before': before },
        Limit: limit,
      }),
    );
    return Items.map((item) => String(item.pk).slice('OPEN_DAY#'.length));
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

  async setProgress(openDayId: string, progress: OpenDayProgress): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.openDay(openDayId),
        UpdateExpression: `SET progress = :progress${progress.phase === 'held' ? ', #status = :held' : ''}`,
        ConditionExpression: 'attribute_exists(pk)',
        ...(progress.phase === 'held' ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
        ExpressionAttributeValues: {
          ':progress': progress,
          ...(progress.phase === 'held' ? { ':held': 'held' } : {}),
        },
      }),
    );
  }

  async noticeSent(openDayId: string, emailHash: string, notice: RegistrantNotice): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.registration(openDayId, emailHash),
          UpdateExpression: 'REMOVE notice, gsi2pk, gsi2sk',
          // A newer change owes its own email: only this one is cleared.
          ConditionExpression: 'notice.#at = :at AND notice.kind = :kind',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: { ':at': notice.at, ':kind': notice.kind },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
