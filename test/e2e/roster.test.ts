import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { completeInn10 } from '#shared/leads/inn.ts';
import { ROUND_THE_CLOCK } from '#shared/managers/roster.ts';
import { call, clientAddress, enquiry, eventually, headToken, tokens } from './client.ts';

const token = (user: string) => tokens()[user] ?? '';

/** A manager only leads from region 98 reach, so the other tests' leads never go to them. */
const aManagerBody = (overrides: Record<string, unknown> = {}) => ({
  name: 'Анна Кузнецова',
  email: `a.kuznetsova.${randomUUID().slice(0, 8)}@bank.example`,
  language: 'ru',
  segments: ['mid_market'],
  regions: ['98'],
  industries: ['*'],
  products: ['credit'],
  capacity: 5,
  weight: 1,
  workingHours: ROUND_THE_CLOCK,
  holidays: ['2027-01-01'],
  absences: [],
  active: true,
  ...overrides,
});
const newManagerId = () => `pm-test-${randomUUID().slice(0, 8)}`;
const put = (managerId: string, body: object, user = 'irina.head') =>
  call('PUT', `/v1/managers/${managerId}`, { body, token: token(user) });

describe('the PM roster, kept by the head of unit', () => {
  it('adds and changes a manager, audits each change with who, when, before and after, and ignores a repeat', async () => {
    const managerId = newManagerId();
    const first = aManagerBody();

    const created = await put(managerId, first);
    const repeated = await put(managerId, first);
    const changed = await put(managerId, {
      ...first,
      capacity: 8,
      absences: [{ from: '2026-12-01', to: '2026-12-14', reason: 'отпуск' }],
    });

    expect(created.body).toEqual({ managerId, action: 'created' });
    expect(repeated.body).toEqual({ managerId, action: 'unchanged' });
    expect(changed.body).toEqual({ managerId, action: 'updated' });
    const read = await call('GET', `/v1/managers/${managerId}`, { token: headToken() });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ managerId, capacity: 8, activeLeads: 0, rosterVersion: 2 });
    const audit = await call('GET', `/v1/managers/${managerId}/changes`, { token: token('oleg.compliance') });
    expect(audit.status).toBe(200);
    expect(audit.body.changes.map((c: { action: string }) => c.action)).toEqual(['updated', 'created']);
    const [update, creation] = audit.body.changes;
    expect(update).toMatchObject({
      by: 'irina.head',
      source: 'api',
      before: { capacity: 5 },
      after: { capacity: 8 },
    });
    expect(creation.before).toBeUndefined();
    expect(creation.after).toEqual({ managerId, ...first });
    const roster = await call('GET', '/v1/managers', { token: headToken() });
    expect(roster.body.managers.map((m: { managerId: string }) => m.managerId)).toContain(managerId);
  });

  it('refuses a bad entry with every field at fault named, and stores nothing of it', async () => {
    const managerId = newManagerId();

    const refused = await put(managerId, {
      ...aManagerBody({ email: 'not-an-email', capacity: -1, activeLeads: 0 }),
      workingHours: { timeZone: 'Mars/Olympus', week: { mon: [{ from: '18:00', to: '09:00' }] } },
    });
    const badId = await put('Not An Id', aManagerBody());

    expect(refused.status).toBe(400);
    expect(refused.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'activeLeads',
      'capacity',
      'email',
      'workingHours.timeZone',
      'workingHours.week.mon.0.to',
    ]);
    expect(badId.status).toBe(400);
    expect((await call('GET', `/v1/managers/${managerId}`, { token: headToken() })).status).toBe(404);
    const audit = await call('GET', `/v1/managers/${managerId}/changes`, { token: headToken() });
    expect(audit.body.changes).toEqual([]);
  });

  it('keeps the load the bank gave a manager when the head of unit changes the entry', async () => {
    // The only manager of region 99, skilled in every product the enquiry asks for: routing picks them.
    const managerId = newManagerId();
    const body99 = (extra: Record<string, unknown> = {}) =>
      aManagerBody({ regions: ['99'], products: ['settlement_account', 'payroll', 'credit'], ...extra });
    await put(managerId, body99());
    const nine = `99${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    const { body } = await call('POST', '/v1/leads', {
      body: enquiry({ company: { name: 'Polyus LLC', inn: completeInn10(nine), sizeBand: 'medium' } }),
      from: clientAddress(),
    });
    await eventually(async () => {
      const lead = await call('GET', `/v1/leads/${body.leadId}`, { token: headToken() });
      return lead.body.assignedManager?.managerId === managerId ? true : undefined;
    }, 'the lead to be assigned to the new manager');

    const changed = await put(managerId, body99({ capacity: 9, name: 'Анна Кузнецова-Орлова' }));

    expect(changed.body.action).toBe('updated');
    const read = await call('GET', `/v1/managers/${managerId}`, { token: headToken() });
    expect(read.body).toMatchObject({ capacity: 9, activeLeads: 1 });
  });

  it('lets only the head of unit keep the roster, and compliance officers read its audit', async () => {
    const managerId = newManagerId();
    for (const user of ['anna.campaigns', 'pm-petrov', 'oleg.compliance']) {
      expect((await put(managerId, aManagerBody(), user)).status).toBe(403);
      expect((await call('GET', '/v1/managers', { token: token(user) })).status).toBe(403);
      expect((await call('GET', `/v1/managers/${managerId}`, { token: token(user) })).status).toBe(403);
    }
    for (const user of ['anna.campaigns', 'pm-petrov']) {
      const audit = await call('GET', `/v1/managers/${managerId}/changes`, { token: token(user) });
      expect(audit.status).toBe(403);
    }
    expect((await call('GET', '/v1/managers')).status).toBe(401);
    expect((await call('GET', `/v1/managers/${managerId}`, { token: headToken() })).status).toBe(404);
  });
});

describe('the roster import', () => {
  const header =
    'manager_id;name;email;language;segments;regions;industries;products;capacity;weight;time_zone;working_hours;holidays;absences;active';
  const row = (id: string, extra: Partial<Record<'email' | 'capacity' | 'time_zone', string>> = {}) =>
    [
      id,
      'Пётр Орлов',
      extra.email ?? `${id}@bank.example`,
      'ru',
      'mid_market|corporate',
      '98',
      'trade|it',
      'credit|fx',
      extra.capacity ?? '12',
      '1',
      extra.time_zone ?? 'Europe/Moscow',
      'mon-fri 09:00-13:00,14:00-18:00',
      '2027-01-01|2027-01-02',
      '2026-12-20..2026-12-30 отпуск',
      'да',
    ].join(';');
  const importing = (csv: string, user = 'irina.head') =>
    call('POST', '/v1/roster-imports', {
      body: csv,
      headers: { 'content-type': 'text/csv; charset=utf-8' },
      token: token(user),
    });

  it('adds the managers of a good file (Excel-style, with ;), and a second import of it changes nothing', async () => {
    const [a, b] = [newManagerId(), newManagerId()];
    const file = `\uFEFF${header}\r\n${row(a)}\r\n${row(b)}\r\n`;

    const first = await importing(file);
    const second = await importing(file);

    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ created: 2, updated: 0, unchanged: 0 });
    expect(second.body).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    const read = await call('GET', `/v1/managers/${a}`, { token: headToken() });
    expect(read.body).toMatchObject({
      name: 'Пётр Орлов',
      segments: ['mid_market', 'corporate'],
      workingHours: {
        timeZone: 'Europe/Moscow',
        week: {
          mon: [
            { from: '09:00', to: '13:00' },
            { from: '14:00', to: '18:00' },
          ],
        },
      },
      absences: [{ from: '2026-12-20', to: '2026-12-30', reason: 'отпуск' }],
      active: true,
    });
    const audit = await call('GET', `/v1/managers/${a}/changes`, { token: headToken() });
    expect(audit.body.changes.map((c: { source: string }) => c.source)).toEqual(['import']);
  });

  it('exports the roster as a file that imports back unchanged', async () => {
    const managerId = newManagerId();
    await importing(`${header}\n${row(managerId)}\n`);

    const exported = await call('GET', '/v1/roster-exports', { token: headToken() });
    const again = await importing(exported.body);

    expect(exported.status).toBe(200);
    expect(exported.headers['content-type']).toMatch(/^text\/csv/);
    expect(exported.body).toContain(managerId);
    expect(again.status).toBe(200);
    expect(again.body.created + again.body.updated).toBe(0);
    expect((await call('GET', '/v1/roster-exports', { token: token('pm-petrov') })).status).toBe(403);
  });

  it('reports every bad row with its line and reason, and stores nothing of the file', async () => {
    const [good, bad1, bad2] = [newManagerId(), newManagerId(), newManagerId()];
    const file = [
      header,
      row(good),
      row(bad1, { email: 'nobody', capacity: 'many' }),
      row(bad2, { time_zone: 'Moscow' }),
    ].join('\n');

    const refused = await importing(file);

    expect(refused.status).toBe(400);
    const paths = refused.body.error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['line 3: email', 'line 3: capacity', 'line 4: time_zone']));
    expect(paths.some((p: string) => p.startsWith('line 2'))).toBe(false);
    for (const id of [good, bad1, bad2]) {
      expect((await call('GET', `/v1/managers/${id}`, { token: headToken() })).status).toBe(404);
    }
    const notCsv = await call('POST', '/v1/roster-imports', { body: { rows: [] }, token: headToken() });
    expect(notCsv.status).toBe(415);
    expect((await importing(`${header}\n${row(newManagerId())}`, 'anna.campaigns')).status).toBe(403);
  });
});
