import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { LEAD_EVENT_SOURCE, LEAD_EVENTS, type LeadEventType } from '#events/lead-events.ts';
import { DEMO_CLIENTS, DEMO_MANAGERS } from '#local/demo-data.ts';
import { completeInn10 } from '#shared/leads/inn.ts';
import type { ScoringFactorName } from '#shared/leads/scoring-config.ts';
import { catalogs } from '#shared/templates/catalog.ts';
import {
  call,
  clientAddress,
  dynamo,
  enquiry,
  eventually,
  executionsOf,
  finishedExecution,
  headToken,
  leadAtRest,
  mailbox,
  tableName,
  tokens,
} from './client.ts';

describe('a web lead, end to end', () => {
  it('is stored, scored, classed, routed to a fitting manager, and the manager gets an escaped summary by email', async () => {
    // Prepare: a medium company from Moscow wanting credit and payroll, with markup in its name.
    const submission = enquiry();
    submission.company.name = `Romashka <b>&</b> "Partners" ${Date.now()}`;

    // Act
    const accepted = await call('POST', '/v1/leads', { body: submission, from: clientAddress() });
    expect(accepted.status).toBe(202);
    const { leadId } = accepted.body;
    expect(leadId).toMatch(/^[0-9a-f-]{36}$/);
    // Assess: the workflow waits for the manager's answer, and the lead shows its reasons.
    await leadAtRest(leadId);
    const read = await call('GET', `/v1/leads/${leadId}`, { token: headToken() });
    expect(read.status).toBe(200);
    const lead = read.body;
    expect(lead.status).toBe('assigned');
    expect(['key', 'priority', 'standard']).toContain(lead.leadClass);
    expect(lead.score.breakdown.map((f: { factor: string }) => f.factor).sort()).toEqual(
      ['channel', 'completeness', 'industry', 'products', 'region', 'sizeBand'].sort(),
    );
    const sum = lead.score.breakdown.reduce((s: number, f: { points: number }) => s + f.points, 0);
    expect(lead.score.total).toBeCloseTo(sum, 0);
    const manager = DEMO_MANAGERS.find((m) => m.managerId === lead.assignedManager.managerId);
    expect(manager?.segments).toContain('mid_market');
    expect(lead.timeline.map((e: { kind: string }) => e.kind)).toEqual([
      'received',
      'assessed',
      'assigned',
      'manager_notified',
    ]);

    const email = await eventually(
      async () => (await mailbox()).find((m) => m.html.includes(leadId)),
      'the manager email',
    );
    expect(email.to).toContain(manager?.email);
    expect(email.html).toContain('Romashka &lt;b&gt;&amp;&lt;/b&gt; &quot;Partners&quot;');
    expect(email.html).not.toContain('<b>&</b>');
    // In the manager's language: Russian unless the directory says otherwise (one demo manager reads English).
    const language = manager?.language ?? 'ru';
    const expected =
      language === 'en'
        ? { subject: 'A new lead for you: ', score: `Score ${lead.score.total} of 100` }
        : { subject: 'Новый лид: ', score: `Оценка ${String(lead.score.total).replace('.', ',')} из 100` };
    expect(email.subject.startsWith(expected.subject)).toBe(true);
    expect(email.html).toContain(`<html lang="${language}">`);
    expect(email.html).toContain(expected.score);
    for (const factor of lead.score.breakdown)
      expect(email.text).toContain(
        `- ${catalogs[language].labels.scoringFactor[factor.factor as ScoringFactorName]}: `,
      );

    // The bus carried the lead's events, each satisfying the contract consumers code against.
    const onBus = await eventually(async () => {
      const events = await busEventsOf(leadId);
      return events.length === 3 ? events : undefined;
    }, 'three lead events on the bus');
    expect(onBus.map((e) => e['detail-type']).sort()).toEqual(['LeadAssigned', 'LeadCaptured', 'LeadScored']);
    for (const event of onBus) {
      expect(event.source).toBe(LEAD_EVENT_SOURCE);
      expect(LEAD_EVENTS[event['detail-type'] as LeadEventType].safeParse(event.detail).success).toBe(true);
      expect(JSON.stringify(event.detail)).not.toContain(submission.contact.email);
    }
  });

  it('hands an enquiry from an existing client to its own manager, without scoring it as acquisition', async () => {
    const client = DEMO_CLIENTS[0];
    const submission = enquiry();
    submission.company.inn = client?.inn ?? '';
    const { body } = await call('POST', '/v1/leads', { body: submission, from: clientAddress() });
    const lead = await leadAtRest(body.leadId);
    expect(lead.status).toBe('handed_to_client_manager');
    expect(lead.assignedManager).toMatchObject({ managerId: client?.managerId, kind: 'existing_client' });
    expect(lead.score).toBeNull();
    // The client's own manager may read it with a personal-manager token; another manager may not.
    expect(
      (await call('GET', `/v1/leads/${body.leadId}`, { token: tokens()[client?.managerId ?? ''] })).status,
    ).toBe(200);
    const other = DEMO_MANAGERS.find((m) => m.managerId !== client?.managerId)?.managerId ?? '';
    expect((await call('GET', `/v1/leads/${body.leadId}`, { token: tokens()[other] })).status).toBe(404);
  });

  it('sends an unqualified lead to nurture and emails nobody', async () => {
    // A micro company from a region outside the bank's focus, wanting only a deposit, with no details.
    const submission = enquiry({ products: ['deposits'], message: undefined, source: {} });
    submission.company = {
      ...submission.company,
      sizeBand: 'micro',
      industry: 'other',
      inn: completeInn10(`99${submission.company.inn.slice(2, 9)}`),
    };
    submission.contact = { name: 'Ivan', email: submission.contact.email } as typeof submission.contact;
    const valid = await call('POST', '/v1/leads', { body: submission, from: clientAddress() });
    expect(valid.status).toBe(202);
    expect((await finishedExecution(valid.body.leadId)).status).toBe('SUCCEEDED');
    const lead = (await call('GET', `/v1/leads/${valid.body.leadId}`, { token: headToken() })).body;
    expect(lead.leadClass).toBe('unqualified');
    expect(lead.status).toBe('nurture');
    expect(lead.assignedManager).toBeNull();
    expect((await mailbox()).some((m) => m.html.includes(valid.body.leadId))).toBe(false);
  });
});

describe('duplicates', () => {
  it('makes one lead of 100 concurrent identical submissions, each answered with the same leadId', async () => {
    const submission = enquiry();
    const replies = await Promise.all(
      Array.from({ length: 100 }, () =>
        call('POST', '/v1/leads', { body: submission, from: clientAddress() }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(100).fill(202));
    const ids = new Set(replies.map((r) => r.body.leadId));
    expect(ids.size).toBe(1);
    const [leadId] = [...ids];

    const stored = await dynamo().send(
      new ScanCommand({
        TableName: await tableName(),
        FilterExpression: '#type = :lead AND company.inn = :inn',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':lead': 'Lead', ':inn': submission.company.inn },
      }),
    );
    expect(stored.Items?.map((i) => i.leadId)).toEqual([leadId]);
    await leadAtRest(String(leadId));
    expect(await executionsOf(String(leadId))).toHaveLength(1);
    const lead = (await call('GET', `/v1/leads/${leadId}`, { token: headToken() })).body;
    expect(lead.touchCount).toBe(99);
  });

  it('treats the same email with another company, inside the window, as a touch on the first lead', async () => {
    const first = enquiry();
    const second = enquiry({ contact: first.contact });
    const a = await call('POST', '/v1/leads', { body: first, from: clientAddress() });
    const b = await call('POST', '/v1/leads', { body: second, from: clientAddress() });
    expect(b.body.leadId).toBe(a.body.leadId);
  });

  it('honours Idempotency-Key: a replay gets the same id, a different body under the same key a 409', async () => {
    const key = `form-${Date.now()}`;
    const body = enquiry();
    const first = await call('POST', '/v1/leads', {
      body,
      headers: { 'idempotency-key': key },
      from: clientAddress(),
    });
    const replay = await call('POST', '/v1/leads', {
      body,
      headers: { 'idempotency-key': key },
      from: clientAddress(),
    });
    expect(replay.status).toBe(202);
    expect(replay.body.leadId).toBe(first.body.leadId);
    const other = await call('POST', '/v1/leads', {
      body: enquiry(),
      headers: { 'idempotency-key': key },
      from: clientAddress(),
    });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('idempotency_conflict');
  });
});

type BusEvent = { source: string; 'detail-type': string; detail: { leadId?: string } };

async function busEventsOf(leadId: string): Promise<BusEvent[]> {
  const events = (await (await fetch(`${inject('events')}/events`)).json()) as BusEvent[];
  return events.filter((e) => e.detail.leadId === leadId);
}
