import { describe, expect, inject, it } from 'vitest';
import { LEAD_EVENT_SOURCE } from '#events/lead-events.ts';
import { catalogs } from '#shared/templates/catalog.ts';
import { call, eventually, finishedExecution, headToken, leadAtRest, mailbox } from './client.ts';
import { leadFrom, unitOf } from './regions.ts';

/** The PM unit's mailbox the local runtime runs with: `attract:unitMailbox`'s default, read in Russian. */
const UNIT_MAILBOX = 'pm-unit@bank.example';

type Entry = { kind: string; at: string; details?: Record<string, unknown> };

const alertsFor = async (leadId: string) =>
  (await mailbox()).filter((m) => m.to.includes(UNIT_MAILBOX) && m.text.includes(leadId));

/** The alert, once recorded on the lead: claimed, sent, then recorded, so its email is in the mailbox. */
const recordedAlert = (leadId: string): Promise<Entry> =>
  eventually(async () => {
    const read = (await call('GET', `/v1/leads/${leadId}`, { token: headToken() })).body;
    return read.timeline.find((e: Entry) => e.kind === 'head_of_unit_notified');
  }, 'the head of unit alert to be recorded');

/** The LeadEscalated events the bus accepted for the lead. */
async function escalationsOnTheBus(leadId: string): Promise<unknown[]> {
  const events = (await (await fetch(`${inject('events')}/events`)).json()) as {
    'detail-type': string;
    detail: { leadId?: string };
  }[];
  return events.filter((e) => e['detail-type'] === 'LeadEscalated' && e.detail.leadId === leadId);
}

describe('the head of unit is told when a lead waits for them', () => {
  it('emails the unit mailbox once, in Russian, naming the lead every manager declined, and a redelivery sends nothing', async () => {
    const unit = await unitOf('79', 3);
    const byId = new Map(unit.map((m) => [m.managerId, m]));
    const lead = await leadFrom('79');
    const { leadId } = lead;

    // Every manager of the region declines: after three offers the lead waits for the head of unit.
    let current = lead;
    for (let attempt = 1; attempt <= 3; attempt++) {
      const holder = byId.get(current.assignedManager.managerId);
      const answer = await call('POST', `/v1/leads/${leadId}/decision`, {
        token: holder?.token ?? '',
        body: { action: 'decline', reasonCode: 'not_my_industry' },
      });
      expect(answer.status).toBe(200);
      current = await leadAtRest(leadId);
    }
    expect(current.status).toBe('escalated');

    const notified = await recordedAlert(leadId);
    expect(notified.details).toMatchObject({
      eventId: `${leadId}:LeadEscalated:3`,
      cause: 'attempts_exhausted',
      attempts: 3,
      attempt: 1,
      possibleRepeat: false,
    });
    const alerts = await alertsFor(leadId);
    expect(alerts).toHaveLength(1);
    const [alert] = alerts;
    const ru = catalogs.ru.headOfUnitEmail;
    expect(alert?.subject).toBe(`Лид ждёт назначения: ${lead.company.name}`);
    expect(alert?.text).toContain(ru.why.attempts_exhausted);
    expect(alert?.text).toContain('Предложений менеджерам: 3.');
    expect(alert?.text).toContain(`Номер лида: ${leadId}`);
    expect(alert?.text).toMatch(new RegExp(`POST http\\S+/v1/leads/${leadId}/assignment`));
    expect(alert?.text).toMatch(/GET http\S+\/v1\/unit\/waiting-leads$/m);
    expect(alert?.html).toContain('<html lang="ru">');
    // No contact details: the unit's mailbox may be shared.
    expect(alert?.text).not.toContain(lead.contact.email);

    // EventBridge delivers at least once: the same event again finds the alert sent and sends nothing.
    const escalated = current.timeline.find((e: Entry) => e.kind === 'escalated') as Entry;
    const redelivered = await call('POST', '/__local/functions/NotifyHeadOfUnit/invoke', {
      body: {
        version: '0',
        id: 'redelivery',
        source: LEAD_EVENT_SOURCE,
        'detail-type': 'LeadEscalated',
        detail: {
          eventId: `${leadId}:LeadEscalated:3`,
          version: 1,
          leadId,
          occurredAt: escalated.at,
          attempts: 3,
          cause: 'attempts_exhausted',
        },
      },
    });
    expect(redelivered.status).toBe(200);
    expect(redelivered.body).toEqual({ outcome: 'already_sent' });
    expect(await alertsFor(leadId)).toHaveLength(1);

    // The head of unit finds it in the waiting list the email names.
    const waiting = await call('GET', '/v1/unit/waiting-leads?status=escalated&limit=100', {
      token: headToken(),
    });
    expect(waiting.status).toBe(200);
    expect(waiting.body.leads.map((l: { leadId: string }) => l.leadId)).toContain(leadId);
  });

  it('emails the unit mailbox in Russian about a lead no manager can take from the start', async () => {
    // Nobody covers region 76 for a manufacturer: the lead waits for the head of unit from its first routing.
    const lead = await leadFrom('76');
    const { leadId } = lead;
    expect(lead.status).toBe('awaiting_manager');
    await finishedExecution(leadId);

    // AssignManager announces it on the bus, once, and the alert follows.
    expect(await escalationsOnTheBus(leadId)).toEqual([
      expect.objectContaining({ detail: expect.objectContaining({ cause: 'no_manager', attempts: 0 }) }),
    ]);

    const notified = await recordedAlert(leadId);
    expect(notified.details).toMatchObject({ cause: 'no_manager', attempts: 0, attempt: 1 });
    const alerts = await alertsFor(leadId);
    expect(alerts).toHaveLength(1);
    const [alert] = alerts;
    expect(alert?.subject).toBe(`Лид ждёт назначения: ${lead.company.name}`);
    expect(alert?.text).toContain(catalogs.ru.headOfUnitEmail.why.no_manager);
    expect(alert?.text).not.toContain('Предложений менеджерам');
    expect(alert?.text).toContain(`Номер лида: ${leadId}`);
    expect(alert?.text).toContain('Код региона: 76');
  });
});
