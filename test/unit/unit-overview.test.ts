import { describe, expect, it } from 'vitest';
import { slaBreachOf } from '#shared/leads/unit-overview.ts';
import { anAssignment } from './support/managers.ts';

describe('slaBreachOf', () => {
  const offer = anAssignment('pm-1', { assignedAt: '2026-11-23T10:00:00.000Z' }); // due at 11:00
  it('counts a timeout as a breach, whenever it is recorded', () => {
    expect(slaBreachOf('lead-1', offer, { kind: 'timed_out', at: '2026-11-23T11:00:00.000Z' })).toEqual({
      leadId: 'lead-1',
      managerId: 'pm-1',
      kind: 'timed_out',
      attempt: 1,
      assignedAt: offer.assignedAt,
      dueAt: offer.acceptance.dueAt,
      at: '2026-11-23T11:00:00.000Z',
    });
  });
  it('counts an acceptance as a breach only after the due time', () => {
    expect(
      slaBreachOf('lead-1', offer, { kind: 'accepted_late', at: offer.acceptance.dueAt }),
    ).toBeUndefined();
    expect(
      slaBreachOf('lead-1', offer, { kind: 'accepted_late', at: '2026-11-23T11:00:00.001Z' })?.kind,
    ).toBe('accepted_late');
  });
});
