import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { LetterProspects } from '../letters/ports.ts';
import { Prospect } from '../prospects/prospect.ts';
import { keys, TableAdapter, withoutKeys } from './table.ts';

/**
 * One prospect by id (`PROSPECT#<id>`), for the page a letter's response link opens. A GetItem, no more:
 * the public capture function reads it with the grant it already has.
 */
export class ProspectReader extends TableAdapter implements LetterProspects {
  async get(prospectId: string): Promise<Prospect | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.prospect(prospectId) }),
    );
    if (!Item) return undefined;
    // A stored item the model no longer accepts shows the prospect an empty form rather than failing.
    const prospect = Prospect.safeParse(withoutKeys(Item));
    return prospect.success ? prospect.data : undefined;
  }
}
