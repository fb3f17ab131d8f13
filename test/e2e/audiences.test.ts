import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Keys } from '#shared/access/keys.ts';
import { ProspectStore } from '#shared/adapters/prospect-store.ts';
import { INDUSTRIES, SIZE_BANDS } from '#shared/leads/lead-submission.ts';
import { type Prospect, ProspectFields, toProspect } from '#shared/prospects/prospect.ts';
import { innOf } from '../unit/support/prospect-file.ts';
import { api, call, dynamo, eventually, headToken, tableName, tokens } from './client.ts';

const campaigns = () => tokens()['anna.campaigns'] ?? '';
const compliance = () => tokens()['oleg.compliance'] ?? '';
// Prospects are stored as an import stores them (the import API is another slice): any key makes ids.
const keys = Keys.derive('audiences-e2e-key-material-0123456789abcdef');

/** Prospects that only this run's audiences select: each carries the run's own tag. */
async function storeProspects(tag: string, count: number): Promise<Prospect[]> {
  const prospects = Array.from({ length: count }, (_, n) =>
    toProspect(
      keys,
      ProspectFields.parse({
        company: {
          name: `Аудитория ${n} ${tag}`,
          inn: innOf(n + 1),
          industry: INDUSTRIES[n % 3],
          sizeBand: SIZE_BANDS[n % SIZE_BANDS.length],
        },
        contact: { name: `Контакт ${n}`, email: `c${n}.${tag}@firm${n}.ru` },
        tags: n % 2 ? [tag, 'export'] : [tag],
      }),
      { importId: `e2e-${tag}`, line: n + 2 },
    ),
  );
  await new ProspectStore(dynamo(), await tableName()).store(prospects);
  return prospects;
}

describe('audiences: drafted, previewed, approved and frozen by campaign managers', () => {
  it('refuses bad filters naming each field, and writes by any role but campaign managers', async () => {
    const bad = await call('POST', '/v1/audiences', {
      token: campaigns(),
      body: { name: '', filters: { industry: ['mining'], score: { min: 90, max: 10 }, regionCode: [] } },
    });
    expect(bad.status).toBe(400);
    const paths = bad.body.error.issues.map((i: { path: string }) => i.path).sort();
    expect(paths).toEqual(['filters.industry.0', 'filters.regionCode', 'filters.score.min', 'name']);
    for (const token of [compliance(), headToken(), tokens()['pm-petrov'] ?? '']) {
      const refused = await call('POST', '/v1/audiences', { token, body: { name: 'X', filters: {} } });
      expect(refused.status).toBe(403);
    }
    expect((await call('GET', '/v1/audiences', { token: tokens()['pm-petrov'] ?? '' })).status).toBe(403);
    expect((await call('GET', `/v1/audiences/${randomUUID()}`, { token: compliance() })).status).toBe(404);
    const query = await call('GET', '/v1/audiences?limit=0&after=nowhere', { token: compliance() });
    expect(query.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'query.after',
      'query.limit',
    ]);
  });

  it('freezes an approved audience with its exact count and members; nothing changes it after', async () => {
    const tag = `aud-${randomUUID().slice(0, 8)}`;
    const prospects = await storeProspects(tag, 30);
    const created = await call('POST', '/v1/audiences', {
      token: campaigns(),
      body: { name: 'Экспортёры', filters: { tags: { anyOf: [tag] } } },
    });
    expect(created.status).toBe(201);
    const { audienceId } = created.body;
    expect(created.body).toMatchObject({ status: 'draft', count: null, progress: null });
    const filters = { tags: { allOf: [tag, 'export'] }, sizeBand: ['small', 'large'] };
    const edited = await call('PUT', `/v1/audiences/${audienceId}`, {
      token: campaigns(),
      body: { filters },
    });
    expect(edited.body).toMatchObject({ status: 'draft', filters });
    const expected = prospects
      .filter((p) => p.tags.includes('export') && ['small', 'large'].includes(p.company.sizeBand ?? ''))
      .map((p) => p.prospectId)
      .sort();

    // The preview shows companies and scores, never a contact.
    const preview = await call('GET', `/v1/audiences/${audienceId}/preview?limit=3`, { token: compliance() });
    expect(preview.status).toBe(200);
    expect(JSON.stringify(preview.body)).not.toContain('@');
    for (const row of preview.body.prospects) expect(expected).toContain(row.prospectId);
    if (preview.body.complete) {
      expect(preview.body.prospects.map((r: { prospectId: string }) => r.prospectId)).toEqual(
        expected.slice(0, 3),
      );
    }
    const early = await call('GET', `/v1/audiences/${audienceId}/members`, { token: campaigns() });
    expect(early).toMatchObject({ status: 409, body: { error: { code: 'not_frozen' } } });

    const approved = await call('POST', `/v1/audiences/${audienceId}/approval`, { token: campaigns() });
    expect(approved.status).toBe(202);
    expect(['freezing', 'frozen']).toContain(approved.body.status);
    const frozen = await eventually(async () => {
      const read = await call('GET', `/v1/audiences/${audienceId}`, { token: headToken() });
      return read.body.status === 'freezing' ? undefined : read.body;
    }, 'the audience to freeze');
    expect(frozen).toMatchObject({
      status: 'frozen',
      count: expected.length,
      approvedBy: expect.any(String),
    });
    expect(frozen.scoringVersion).toMatch(/^scoring-/);

    const members: string[] = [];
    let next: string | null = null;
    do {
      const page = await call(
        'GET',
        `/v1/audiences/${audienceId}/members?limit=3${next ? `&after=${next}` : ''}`,
        {
          token: campaigns(),
        },
      );
      expect(page.body.count).toBe(expected.length);
      members.push(...page.body.prospectIds);
      next = page.body.next;
    } while (next);
    expect(members).toEqual(expected);

    // Frozen is final: an edit is a 409 with its code, a second approval changes nothing.
    const late = await call('PUT', `/v1/audiences/${audienceId}`, {
      token: campaigns(),
      body: { filters: {} },
    });
    expect(late).toMatchObject({ status: 409, body: { error: { code: 'not_draft' } } });
    const again = await call('POST', `/v1/audiences/${audienceId}/approval`, { token: campaigns() });
    expect(again.body).toMatchObject({ status: 'frozen', count: expected.length, frozenAt: frozen.frozenAt });
    const listed = await call('GET', '/v1/audiences?limit=100', { token: compliance() });
    expect(listed.body.audiences.map((a: { audienceId: string }) => a.audienceId)).toContain(audienceId);
  });

  it('records a freezing that failed on the audience, and resumes it when approved again', async () => {
    const tag = `aud-${randomUUID().slice(0, 8)}`;
    const prospects = await storeProspects(tag, 12);
    const created = await call('POST', '/v1/audiences', {
      token: campaigns(),
      body: { name: 'Сбой', filters: { tags: { allOf: [tag] } } },
    });
    const { audienceId } = created.body;
    // An error the state machine does not retry: its Catch marks the audience failed.
    const fault = await fetch(`${api()}/__local/functions/FreezeAudience/faults`, {
      method: 'POST',
      body: JSON.stringify({ count: 1, errorType: 'AudienceNotFound', match: audienceId }),
    });
    expect(fault.status).toBe(200);
    await call('POST', `/v1/audiences/${audienceId}/approval`, { token: campaigns() });
    const failed = await eventually(async () => {
      const read = await call('GET', `/v1/audiences/${audienceId}`, { token: campaigns() });
      return read.body.status === 'failed' ? read.body : undefined;
    }, 'the freezing to fail');
    expect(failed.failure).toMatchObject({ error: 'AudienceNotFound' });
    const resumed = await call('POST', `/v1/audiences/${audienceId}/approval`, { token: campaigns() });
    expect(resumed).toMatchObject({ status: 202, body: { status: 'freezing', failure: null } });
    const frozen = await eventually(async () => {
      const read = await call('GET', `/v1/audiences/${audienceId}`, { token: campaigns() });
      return read.body.status === 'frozen' ? read.body : undefined;
    }, 'the resumed freezing');
    expect(frozen.count).toBe(prospects.length);
  });

  it('discards a draft, which is then never approved', async () => {
    const created = await call('POST', '/v1/audiences', {
      token: campaigns(),
      body: { name: 'Черновик', filters: { marketingConsent: true } },
    });
    const { audienceId } = created.body;
    const discarded = await call('POST', `/v1/audiences/${audienceId}/discard`, { token: campaigns() });
    expect(discarded.body).toMatchObject({ status: 'discarded' });
    const approval = await call('POST', `/v1/audiences/${audienceId}/approval`, { token: campaigns() });
    expect(approval).toMatchObject({ status: 409, body: { error: { code: 'discarded' } } });
  });
});
