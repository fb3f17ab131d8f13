import { describe, expect, it } from 'vitest';
import { call, clientAddress, enquiry, tokens } from './client.ts';

const token = (user: string) => tokens()[user] ?? '';

describe('staff reads of personal data are audited', () => {
  it('records each read of a lead, and lets compliance officers page through who read it and when', async () => {
    // Prepare: a lead, read three times by the head of unit and once, refused, by another manager.
    const { body } = await call('POST', '/v1/leads', { body: enquiry(), from: clientAddress() });
    const leadId = body.leadId as string;
    for (let i = 0; i < 3; i++) {
      expect((await call('GET', `/v1/leads/${leadId}`, { token: token('irina.head') })).status).toBe(200);
    }

    // Act
    const first = await call('GET', `/v1/leads/${leadId}/reads?limit=2`, { token: token('oleg.compliance') });
    const second = await call(
      'GET',
      `/v1/leads/${leadId}/reads?limit=2&after=${encodeURIComponent(first.body.next)}`,
      {
        token: token('oleg.compliance'),
      },
    );

    // Assess: three reads, newest first, by the head of unit, over two pages.
    expect(first.status).toBe(200);
    expect(first.body.reads).toHaveLength(2);
    expect(second.body.reads).toHaveLength(1);
    expect(second.body.next).toBeUndefined();
    const reads = [...first.body.reads, ...second.body.reads];
    expect(reads.map((r: { readerId: string }) => r.readerId)).toEqual(Array(3).fill('irina.head'));
    expect(
      reads.every(
        (r: { leadId: string; roles: string[] }) => r.leadId === leadId && r.roles.includes('head_of_unit'),
      ),
    ).toBe(true);
    const times = reads.map((r: { at: string }) => r.at);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('does not record a refused read, and lets only compliance officers see the record', async () => {
    const { body } = await call('POST', '/v1/leads', { body: enquiry(), from: clientAddress() });
    const leadId = body.leadId as string;
    // A personal manager asking for a lead that is not theirs learns nothing, and nothing is recorded.
    expect((await call('GET', `/v1/leads/${leadId}`, { token: token('pm-petrov') })).status).toBe(404);
    const record = await call('GET', `/v1/leads/${leadId}/reads`, { token: token('oleg.compliance') });
    expect(record.status).toBe(200);
    expect(record.body.reads.filter((r: { readerId: string }) => r.readerId === 'pm-petrov')).toEqual([]);

    for (const user of ['irina.head', 'anna.campaigns', 'pm-petrov']) {
      expect((await call('GET', `/v1/leads/${leadId}/reads`, { token: token(user) })).status).toBe(403);
    }
    const bad = await call('GET', `/v1/leads/${leadId}/reads?after=not-a-cursor`, {
      token: token('oleg.compliance'),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['query.after']);
  });
});
