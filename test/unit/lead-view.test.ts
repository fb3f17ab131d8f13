import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '#shared/leads/lead.ts';
import { formatIssues } from '#shared/leads/lead-submission.ts';
import { LeadView, leadRecordOf, leadView, timelinePage } from '#shared/leads/lead-view.ts';
import { templatesFor } from '#shared/templates/render.ts';
import { anAssignment } from './support/managers.ts';
import { aLead } from './support/ports-contract.ts';

const T = '2026-11-23T10:05:00.000Z';
// The shared fixture's INNs are random digits; the published schema checks the checksum.
const company = { name: 'Romashka LLC', inn: '7708123450' };

describe('leadView: what GET /v1/leads/{leadId} answers is what the published LeadView schema says', () => {
  it('fits the schema with every optional part of a lead filled in', () => {
    // Prepare: a lead with a score, a manager, a client match, a failure and a full attribution.
    const lead = aLead({
      company,
      status: 'assigned',
      message: 'We need payroll',
      leadClass: 'priority',
      score: {
        total: 61.5,
        configVersion: 'v1',
        breakdown: [
          {
            factor: 'sizeBand',
            value: 'medium',
            weight: 20,
            fraction: 0.7,
            points: 14,
            explanation: 'Medium',
          },
        ],
      },
      assignment: anAssignment('pm-ivanova', { segment: 'mid_market', assignedAt: T }),
      existingClient: { clientId: 'client-1', managerId: 'pm-ivanova' },
      failure: { error: 'States.TaskFailed', at: T },
      attribution: {
        channel: 'referral',
        campaignId: 'sme-autumn',
        referral: { code: 'ROMASHKA-1', clientId: 'client-2', managerId: 'pm-petrov' },
        utm: { source: 'google', campaign: 'sme-autumn' },
        ignored: [{ claim: 'invitation', reason: 'expired' }],
      },
    });
    const record = leadRecordOf(lead, [{ at: T, kind: 'assigned', details: { to: 'x' } }]);

    // Act
    const view = leadView(record, templatesFor('ru'));
    const parsed = LeadView.safeParse(view);

    // Assess: it parses, and it carries every field the schema names, no more.
    expect(parsed.success ? [] : formatIssues(parsed.error)).toEqual([]);
    expect(Object.keys(view).sort()).toEqual(Object.keys(LeadView.shape).sort());
  });

  it('fits the schema for a lead just received: nothing scored, assigned or matched yet', () => {
    const view = leadView(leadRecordOf(aLead({ company }), []), templatesFor('ru'));
    expect(LeadView.safeParse(view).success).toBe(true);
    expect(view).toMatchObject({ score: null, assignedManager: null, existingClient: null, message: null });
  });

  it("renders the timeline in the reader's language at read time, ignoring a summary stored by an older version", () => {
    // Prepare: the derived first entry, and an entry stored with the English summary older versions wrote.
    const stored = {
      at: T,
      kind: 'intake_failed',
      details: { error: 'States.Timeout' },
      summary: 'Intake failed',
    };
    const record = leadRecordOf(aLead({ company, attribution: { channel: 'web' } }), [
      stored as TimelineEntry,
    ]);

    // Act
    const russian = leadView(record, templatesFor('ru')).timeline;
    const english = timelinePage(record, { limit: 10 }, templatesFor('en'))?.entries;

    // Assess: the same entries, kinds and details; the summaries rendered in each language.
    expect(russian.map((e) => e.summary)).toEqual([
      'Поступила заявка, канал привлечения: Заявка на сайте',
      'Сбой обработки лида: States.Timeout',
    ]);
    expect(english?.map((e) => e.summary)).toEqual([
      'Enquiry received, channel: Website form',
      'Intake failed: States.Timeout',
    ]);
    expect(english?.map(({ summary, ...rest }) => rest)).toEqual(russian.map(({ summary, ...rest }) => rest));
    expect(russian[1]).toEqual({
      at: T,
      kind: 'intake_failed',
      summary: expect.any(String),
      details: { error: 'States.Timeout' },
    });
  });
});
