import { describe, expect, it } from 'vitest';
import { demoEnquiry } from '#local/demo-data.ts';
import { captureLead } from '#shared/leads/capture-lead.ts';
import { captureDepsOf, InMemoryBank, testClock } from './support/in-memory.ts';

function capture(perMinute = 100) {
  const bank = new InMemoryBank();
  const clock = testClock();
  const deps = captureDepsOf(bank, clock, perMinute);
  const submit = (body: unknown, idempotencyKey?: string, clientAddress = '192.0.2.1') =>
    captureLead(deps, {
      channel: 'web',
      body,
      clientAddress,
      ...(idempotencyKey ? { idempotencyKey } : {}),
    });
  return { bank, clock, submit };
}

describe('captureLead', () => {
  it('stores a new enquiry as a received lead, pending its workflow', async () => {
    const { bank, submit } = capture();
    const answer = await submit(demoEnquiry());
    expect(answer).toMatchObject({ kind: 'accepted', outcome: 'created' });
    if (answer.kind !== 'accepted') throw new Error('not accepted');
    expect(await bank.leads.get(answer.leadId)).toMatchObject({ status: 'received', regionCode: '77' });
    expect(bank.pending.has(answer.leadId)).toBe(true);
  });

  it('answers a repeat of the same company with the first lead id and records a touch', async () => {
    const { bank, submit, clock } = capture();
    const first = demoEnquiry();
    const a = await submit(first);
    clock.advance(60_000);
    const b = await submit(demoEnquiry({ company: first.company }));
    expect(b).toMatchObject({ kind: 'accepted', outcome: 'duplicate' });
    if (a.kind !== 'accepted' || b.kind !== 'accepted') throw new Error('not accepted');
    expect(b.leadId).toBe(a.leadId);
    expect((await bank.leads.read(a.leadId))?.touchCount).toBe(1);
    expect(bank.leadItems.size).toBe(1);
  });

  it('replays an Idempotency-Key with the first answer, and refuses it with another body', async () => {
    const { submit } = capture();
    const body = demoEnquiry();
    const first = await submit(body, 'form-1');
    expect(await submit(body, 'form-1')).toEqual({
      kind: 'accepted',
      outcome: 'replayed',
      leadId: first.kind === 'accepted' ? first.leadId : '',
    });
    expect(await submit(demoEnquiry(), 'form-1')).toEqual({ kind: 'idempotency_conflict' });
  });

  it('refuses a client past its per-minute limit before reading the body', async () => {
    const { bank, submit } = capture(2);
    await submit(demoEnquiry());
    await submit(demoEnquiry());
    expect(await submit(demoEnquiry())).toMatchObject({ kind: 'rate_limited' });
    expect(await submit(demoEnquiry(), undefined, '192.0.2.2')).toMatchObject({ kind: 'accepted' });
    expect(bank.leadItems.size).toBe(3);
  });

  it('answers a filled honeypot as accepted and keeps nothing', async () => {
    const { bank, submit } = capture();
    expect(await submit(demoEnquiry({ fax: '+7 495 000 00 00' }))).toMatchObject({
      kind: 'accepted',
      outcome: 'discarded',
    });
    expect(bank.leadItems.size).toBe(0);
  });

  it('answers a bot that repeats itself as a person is answered: the same lead id, a valid UUID', async () => {
    const { submit } = capture();
    const bot = demoEnquiry({ fax: '+7 495 000 00 00' });
    const first = await submit(bot);
    const again = await submit({ ...bot, contact: { ...bot.contact, name: 'Another Bot' } });
    const id = (answer: typeof first) => (answer.kind === 'accepted' ? answer.leadId : '');
    expect(id(again)).toBe(id(first));
    expect(id(first)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('names the invalid fields and the malformed Idempotency-Key, storing nothing', async () => {
    const { bank, submit } = capture();
    const invalid = await submit({ ...demoEnquiry(), contact: { name: 'Olga', email: 'not-an-email' } });
    expect(invalid.kind).toBe('invalid');
    expect(invalid.kind === 'invalid' && invalid.issues.map((i) => i.path)).toContain('contact.email');
    expect(await submit(demoEnquiry(), 'key with spaces')).toMatchObject({ kind: 'invalid' });
    expect(bank.leadItems.size).toBe(0);
  });
});
