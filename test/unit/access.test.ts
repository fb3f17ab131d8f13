import { describe, expect, it } from 'vitest';
import { staffMemberFromClaims } from '#shared/access/roles.ts';
import { canReadLead } from '#shared/leads/lead-view.ts';
import type { LeadRecord } from '#shared/leads/ports.ts';

const record = (managerId?: string) =>
  ({
    lead: { assignment: managerId ? { managerId, kind: 'acquisition', assignedAt: '' } : undefined },
    timeline: [],
  }) as unknown as LeadRecord;

describe('staff claims', () => {
  it('reads groups as API Gateway passes them ("[a b]") and as arrays', () => {
    expect(
      staffMemberFromClaims({ sub: 'u1', 'cognito:groups': '[personal_manager head_of_unit]' }).roles,
    ).toEqual(['personal_manager', 'head_of_unit']);
    expect(
      staffMemberFromClaims({ sub: 'u1', 'cognito:groups': ['campaign_manager', 'admins'] }).roles,
    ).toEqual(['campaign_manager']);
    expect(staffMemberFromClaims({ sub: 'u1' }).roles).toEqual([]);
    expect(staffMemberFromClaims({ sub: 'u1', 'custom:managerId': 'pm-1' }).managerId).toBe('pm-1');
  });
});

describe('who may read a lead', () => {
  it('lets the unit leadership, campaign and compliance staff read any lead', () => {
    for (const role of ['head_of_unit', 'campaign_manager', 'compliance_officer'] as const) {
      expect(canReadLead({ userId: 'u', roles: [role] }, record('pm-1'))).toBe(true);
    }
  });

  it('lets a personal manager read only the leads assigned to them', () => {
    const pm = { userId: 'u', roles: ['personal_manager'] as const, managerId: 'pm-1' };
    expect(canReadLead(pm, record('pm-1'))).toBe(true);
    expect(canReadLead(pm, record('pm-2'))).toBe(false);
    expect(canReadLead(pm, record(undefined))).toBe(false);
    expect(canReadLead({ userId: 'u', roles: ['personal_manager'] }, record(undefined))).toBe(false);
  });
});
