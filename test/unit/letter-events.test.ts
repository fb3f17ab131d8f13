import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SesEvent, type SesEventDetail } from '#events/ses-events.ts';
import {
  type LetterEventDeps,
  type LetterOutcome,
  type LetterRef,
  recordLetterEvent,
} from '#shared/letters/letter-events.ts';
import { addressHashOf } from '#shared/letters/unsubscribe.ts';
import { TEST_KEYS } from './support/capture.ts';
import { InMemorySuppression } from './support/in-memory-suppression.ts';

const sample = (name: string): SesEventDetail =>
  SesEvent.parse(
    JSON.parse(readFileSync(new URL(`../../events/samples/ses/${name}.json`, import.meta.url), 'utf8')),
  ).detail;
const hash = (address: string) => addressHashOf(TEST_KEYS, address);

function deps() {
  const suppressions = new InMemorySuppression();
  const recorded: { letter: LetterRef; outcome: LetterOutcome }[] = [];
  const withSends: LetterEventDeps = {
    suppressions,
    addressHash: hash,
    sends: { record: async (letter, outcome) => void recorded.push({ letter, outcome }) },
  };
  return { suppressions, recorded, withSends };
}

describe("recording SES's events about letters", () => {
  it('suppresses a permanently bounced address as hard_bounced, from the bounce feedback, at the bounce time', async () => {
    const { suppressions, withSends } = deps();
    const bounce = sample('Bounce');
    const result = await recordLetterEvent(withSends, bounce);
    expect(result).toMatchObject({ suppressed: 1, reason: 'hard_bounced' });
    const entry = suppressions.list.get(hash('bounce@simulator.amazonses.com'));
    const feedbackId = bounce.eventType === 'Bounce' ? bounce.bounce.feedbackId : '';
    expect(entry?.latest).toEqual({
      reason: 'hard_bounced',
      at: '2026-11-23T09:15:05.202Z',
      source: `ses:${feedbackId}`,
    });
    // The list holds the address's keyed hash, never the address.
    expect(JSON.stringify([...suppressions.list])).not.toContain('@');
  });

  it('changes nothing more when the same bounce comes again, or an older one after it', async () => {
    const { suppressions, withSends } = deps();
    const bounce = sample('Bounce');
    await recordLetterEvent(withSends, bounce);
    const once = structuredClone([...suppressions.list]);
    await recordLetterEvent(withSends, bounce);
    if (bounce.eventType !== 'Bounce') throw new Error('not a bounce');
    const older = {
      ...bounce,
      bounce: { ...bounce.bounce, timestamp: '2026-11-22T00:00:00.000Z', feedbackId: 'older' },
    };
    await recordLetterEvent(withSends, older);
    expect([...suppressions.list]).toEqual(once);
  });

  it('suppresses a complaining address as complained, the latest reason after a bounce', async () => {
    const { suppressions, withSends } = deps();
    const complaint = sample('Complaint');
    expect(await recordLetterEvent(withSends, complaint)).toMatchObject({
      suppressed: 1,
      reason: 'complained',
    });
    expect(suppressions.list.get(hash('Complaint@Simulator.AmazonSES.com'))?.latest.reason).toBe(
      'complained',
    );
  });

  it('suppresses nobody for a transient or undetermined bounce, a delivery, a delay, an open or a click', async () => {
    const { suppressions, withSends } = deps();
    const bounce = sample('Bounce');
    if (bounce.eventType !== 'Bounce') throw new Error('not a bounce');
    for (const bounceType of ['Transient', 'Undetermined'] as const) {
      await recordLetterEvent(withSends, { ...bounce, bounce: { ...bounce.bounce, bounceType } });
    }
    for (const name of ['Send', 'Delivery', 'DeliveryDelay', 'Open', 'Click', 'Reject', 'RenderingFailure']) {
      expect(await recordLetterEvent(withSends, sample(name))).toMatchObject({ suppressed: 0 });
    }
    expect(suppressions.list.size).toBe(0);
  });

  it("hands every campaign letter's event to the campaign's records, by the tags the sender put on it", async () => {
    const { recorded, withSends } = deps();
    await recordLetterEvent(withSends, sample('Delivery'));
    await recordLetterEvent(withSends, sample('Bounce'));
    const letter = {
      campaignId: '5b0c1f8e-3d2a-4c7b-9e61-0a4f2d8c7b15',
      step: 1,
      sendId: '5b0c1f8e-3d2a-4c7b-9e61-0a4f2d8c7b15-1-p7f3a9',
    };
    expect(recorded).toEqual([
      {
        letter,
        outcome: {
          eventType: 'Delivery',
          at: '2026-11-23T09:15:02.431Z',
          messageId: '0107019a7e4c2b5d-6f1f3c2e-8d7a-4b61-9c55-2f0e7d1a9b3c-000000',
        },
      },
      {
        letter,
        outcome: {
          eventType: 'Bounce',
          at: '2026-11-23T09:15:02.431Z',
          messageId: '0107019a7e4c2b5d-6f1f3c2e-8d7a-4b61-9c55-2f0e7d1a9b3c-000000',
          suppressed: 'hard_bounced',
        },
      },
    ]);
  });

  it("suppresses a letter without the campaign's tags all the same, and records no campaign outcome for it", async () => {
    const { suppressions, recorded, withSends } = deps();
    const bounce = sample('Bounce');
    const untagged = {
      ...bounce,
      mail: { ...bounce.mail, tags: { 'ses:configuration-set': ['attract-letters'], step: ['x'] } },
    };
    const result = await recordLetterEvent(withSends, untagged);
    expect(result).toEqual({ suppressed: 1, reason: 'hard_bounced' });
    expect(recorded).toEqual([]);
    expect(suppressions.list.size).toBe(1);
  });

  it('works without the campaign records (until they exist)', async () => {
    const { suppressions } = deps();
    const result = await recordLetterEvent({ suppressions, addressHash: hash }, sample('Complaint'));
    expect(result.letter?.step).toBe(1);
    expect(suppressions.list.size).toBe(1);
  });
});
