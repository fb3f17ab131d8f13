import type { ProspectBook } from '../campaigns/send-letters.ts';
import type { Prospect } from '../prospects/prospect.ts';
import { getAll } from './batch.ts';
import { keys, TableAdapter, withoutKeys } from './table.ts';

const FIELDS = [
  'prospectId',
  'company',
  'contact',
  'language',
  'timeZone',
  'tags',
  'marketingConsent',
  'source',
];

/** Prospects by id, a page at a time (BatchGetItem, consistent, unprocessed keys asked again). */
export class ProspectBookStore extends TableAdapter implements ProspectBook {
  async byIds(prospectIds: readonly string[]): Promise<Map<string, Prospect>> {
    const items = await getAll(this.client, this.tableName, prospectIds.map(keys.prospect), FIELDS);
    return new Map(items.map((item) => [item.prospectId as string, withoutKeys<Prospect>(item)]));
  }
}
