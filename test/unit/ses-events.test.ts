import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SES_EVENT_TYPES, SesEvent } from '#events/ses-events.ts';

const samples = new URL('../../events/samples/ses/', import.meta.url);
const sample = (file: string) => JSON.parse(readFileSync(new URL(file, samples), 'utf8'));
const files = readdirSync(samples).filter((f) => f.endsWith('.json'));

describe('the SES event contract', () => {
  it('holds every sample, one for each event type the configuration set publishes', () => {
    const types = files.map((file) => SesEvent.parse(sample(file)).detail.eventType);
    expect(types.sort()).toEqual(Object.keys(SES_EVENT_TYPES).sort());
  });

  it("reads the letter's tags as SES gives them: its own and the sender's, a list per name", () => {
    const { detail } = SesEvent.parse(sample('Bounce.json'));
    expect(detail.mail.tags).toMatchObject({
      'ses:configuration-set': ['attract-letters'],
      campaign: ['5b0c1f8e-3d2a-4c7b-9e61-0a4f2d8c7b15'],
      step: ['1'],
    });
    expect(detail.eventType === 'Bounce' && detail.bounce.bounceType).toBe('Permanent');
  });

  it('refuses a detail type that is not the one SES gives the event type, and a source other than SES', () => {
    const bounce = sample('Bounce.json');
    const mislabelled = SesEvent.safeParse({ ...bounce, 'detail-type': 'Email Delivered' });
    expect(mislabelled.error?.issues.map((i) => i.path.join('.'))).toEqual(['detail-type']);
    expect(SesEvent.safeParse({ ...bounce, source: 'attract.leads' }).success).toBe(false);
  });

  it('refuses a bounce without its type or recipients, and an unknown bounce type', () => {
    const bounce = sample('Bounce.json');
    const { bounceType: _type, ...untyped } = bounce.detail.bounce;
    const paths = (detail: unknown) =>
      SesEvent.safeParse({ ...bounce, detail }).error?.issues.map((i) => i.path.join('.'));
    expect(paths({ ...bounce.detail, bounce: untyped })).toEqual(['detail.bounce.bounceType']);
    expect(paths({ ...bounce.detail, bounce: { ...bounce.detail.bounce, bounceType: 'Soft' } })).toEqual([
      'detail.bounce.bounceType',
    ]);
    const { bouncedRecipients: _none, ...anonymous } = bounce.detail.bounce;
    expect(paths({ ...bounce.detail, bounce: anonymous })).toEqual(['detail.bounce.bouncedRecipients']);
  });

  it('lets fields SES may add pass by', () => {
    const delivery = sample('Delivery.json');
    const extended = { ...delivery, detail: { ...delivery.detail, futureField: { x: 1 } } };
    expect(SesEvent.parse(extended).detail).toMatchObject({ futureField: { x: 1 } });
  });
});
