import { describe, expect, it } from 'vitest';
import { demoEnquiry } from '#local/demo-data.ts';
import { captureLead } from '#shared/leads/capture-lead.ts';
import { captureDepsOf } from './support/capture.ts';
import { InMemoryBank, testClock } from './support/in-memory.ts';

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

  it('answers a repeat of the same company with the first lead id and keeps it as an enquiry', async () => {
    const { bank, submit, clock } = capture();
    const first = demoEnquiry();
    const a = await submit(first);
    clock.advance(60_000);
    const b = await submit(demoEnquiry({ company: first.company }));
    expect(b).toMatchObject({ kind: 'accepted', outcome: 'enquiry' });
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

describe('no enquiry is discarded', () => {
  it('keeps a later enquiry in full, with its own contact and message, and says what is new', async () => {
    const { bank, submit, clock } = capture();
    const first = demoEnquiry();
    const a = await submit(first);
    clock.advance(3_600_000);
    const later = demoEnquiry({
      company: first.company,
      contact: { name: 'Ivan Orlov', email: 'i.orlov@romashka.example', position: 'CFO' },
      products: ['fx'],
      message: 'We also need FX control for import contracts.',
    });
    const b = await submit(later);
    if (a.kind !== 'accepted' || b.kind !== 'accepted') throw new Error('not accepted');
    const { enquiries } = await bank.leads.enquiries(a.leadId, { size: 10 });
    expect(enquiries).toEqual([
      expect.objectContaining({
        leadId: a.leadId,
        contact: later.contact,
        products: ['fx'],
        message: later.message,
        matchedBy: ['inn'],
        signals: ['new_contact', 'new_message', 'other_products'],
      }),
    ]);
    // The first enquiry is untouched: the lead still shows who wrote first.
    expect((await bank.leads.get(a.leadId))?.contact.email).toBe(first.contact.email);
  });

  it('lets the real company be told apart from a stranger who used its well-known INN first', async () => {
    const { bank, submit, clock } = capture();
    const real = demoEnquiry();
    const stranger = await submit(
      demoEnquiry({
        company: { ...real.company, name: 'Totally Legit LLC' },
        contact: { name: 'Anon', email: 'anon@mailinator.example' },
      }),
    );
    clock.advance(60_000);
    const company = await submit(real);
    if (stranger.kind !== 'accepted' || company.kind !== 'accepted') throw new Error('not accepted');
    expect(company.leadId).toBe(stranger.leadId);
    const [kept] = (await bank.leads.enquiries(stranger.leadId, { size: 10 })).enquiries;
    expect(kept?.contact.email).toBe(real.contact.email);
    expect(kept?.signals).toEqual(expect.arrayContaining(['new_contact', 'other_company_name']));
  });

  it('bounds the enquiries one lead keeps and tells the form, keeping every one it accepted', async () => {
    const bank = new InMemoryBank();
    const clock = testClock();
    const deps = { ...captureDepsOf(bank, clock), enquiryLimit: 2 };
    const first = demoEnquiry();
    const submit = (body: unknown) => captureLead(deps, { channel: 'web', body, clientAddress: '192.0.2.9' });
    const a = await submit(first);
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await submit(demoEnquiry({ company: first.company })));
    expect(answers.map((x) => x.kind)).toEqual(['accepted', 'accepted', 'enquiry_limit_reached']);
    if (a.kind !== 'accepted') throw new Error('not accepted');
    expect((await bank.leads.enquiries(a.leadId, { size: 10 })).enquiries).toHaveLength(2);
  });
});
