import type * as z from 'zod';
import type { Keys } from '../access/keys.ts';
import { formatIssues } from '../leads/lead-submission.ts';
import type { ScoringConfig } from '../leads/scoring-config.ts';
import { addressHashOf } from '../letters/unsubscribe.ts';
import {
  type Audience,
  type AudienceFilters,
  EditAudienceInput,
  matches,
  NewAudienceInput,
  type ProspectFacts,
  prospectScore,
  readsLastContact,
  WALK_END,
  WALK_START,
  type WalkedProspect,
} from './audience.ts';
import type { AudienceRefusal, Audiences, LastContacts, ProspectWalk } from './ports.ts';

/** The use cases of audiences: write a draft, edit or discard it, preview it, approve it. */
export type AudienceDeps = {
  audiences: Audiences;
  prospects: ProspectWalk;
  lastContacts: LastContacts;
  keys: Keys;
  scoring: ScoringConfig;
  now: () => Date;
  newId: () => string;
};

/** The input breaks the audience's rules; `issues` names each field (`filters.score.min`) and why. */
export class AudienceInvalid extends Error {
  override name = 'AudienceInvalid';
  readonly issues: { path: string; message: string }[];
  constructor(issues: { path: string; message: string }[]) {
    super(`The audience is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.issues = issues;
  }
}

/** A change that only a draft takes, asked of an audience that is no draft (approved, discarded). */
export class AudienceRefused extends Error {
  override name = 'AudienceRefused';
  readonly refusal: AudienceRefusal | 'discarded';
  constructor(refusal: AudienceRefusal | 'discarded') {
    super(`The audience refused the change: ${refusal}`);
    this.refusal = refusal;
  }
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new AudienceInvalid(formatIssues(parsed.error));
  return parsed.data;
}

/** A campaign manager writes a new audience: a draft, which nobody writes to until it is frozen. */
export async function createAudience(deps: AudienceDeps, author: string, input: unknown): Promise<Audience> {
  const { name, filters } = parse(NewAudienceInput, input);
  const at = deps.now().toISOString();
  const audience: Audience = {
    audienceId: deps.newId(),
    name,
    filters,
    status: 'draft',
    author,
    createdAt: at,
    updatedAt: at,
  };
  if ((await deps.audiences.create(audience)) === 'exists') {
    throw new Error(`Audience id ${audience.audienceId} is taken`);
  }
  return audience;
}

/** Replaces a draft's filters (and its name when given); an approved or discarded audience refuses. */
export async function editAudience(deps: AudienceDeps, audienceId: string, input: unknown): Promise<void> {
  const { filters, name } = parse(EditAudienceInput, input);
  const at = deps.now().toISOString();
  const saved = await deps.audiences.edit(audienceId, { filters, at, ...(name ? { name } : {}) });
  if (saved !== 'saved') throw new AudienceRefused(saved);
}

export async function discardAudience(deps: AudienceDeps, audienceId: string): Promise<void> {
  const discarded = await deps.audiences.discard(audienceId, deps.now().toISOString());
  if (discarded !== 'discarded') throw new AudienceRefused(discarded);
}

/** Starts (or starts again: the same run name is the same run) the job that freezes the audience. */
export interface FreezingStarter {
  startFreezing(audienceId: string, run: string): Promise<void>;
}

/**
 * A campaign manager approves: the audience becomes `freezing` and its freezing job starts. A second
 * approval changes nothing; while the audience is `freezing` it starts the same run again, which is a
 * no-op for a run under way and a rescue for one whose start was lost.
 */
export async function approveAudience(
  deps: AudienceDeps & { starter: FreezingStarter },
  audienceId: string,
  by: string,
): Promise<Audience> {
  const at = deps.now().toISOString();
  const approval = await deps.audiences.approve(audienceId, { by, at, scoringVersion: deps.scoring.version });
  if (!('audience' in approval)) throw new AudienceRefused(approval.outcome);
  const { audience } = approval;
  if (audience.status === 'freezing') {
    await deps.starter.startFreezing(audienceId, runNameOf(audience));
  }
  return audience;
}

/** One run per approval: a resumed audience (its freezing failed) gets a run of its own. */
export const runNameOf = (audience: Pick<Audience, 'audienceId' | 'runs'>) =>
  `${audience.audienceId}-${audience.runs ?? 1}`;

type FactsDeps = Pick<AudienceDeps, 'lastContacts' | 'keys' | 'scoring'>;

/** The facts each prospect is matched on; the send counter is read only when a filter asks for it. */
export async function factsOf(
  deps: FactsDeps,
  prospects: readonly WalkedProspect[],
  filters: AudienceFilters,
): Promise<ProspectFacts[]> {
  const hashes = readsLastContact(filters)
    ? prospects.map((p) => addressHashOf(deps.keys, p.contact.email))
    : [];
  const latest = hashes.length ? await deps.lastContacts.latest([...new Set(hashes)]) : new Map();
  return prospects.map((p, i) => {
    const at = latest.get(hashes[i]);
    return { score: prospectScore(p, deps.scoring), ...(at ? { lastContactedAt: at } : {}) };
  });
}

/** A preview looks at this many prospects at most: it is a glimpse of who matches, not a count. */
export const PREVIEW_EXAMINED = 2_000;
const PREVIEW_PAGE = 500;

export type PreviewRow = WalkedProspect & { score: number };

/**
 * The first prospects (in prospect-id order) that pass the audience's filters, up to `limit`, looking at
 * no more than PREVIEW_EXAMINED prospects. `complete`: every prospect was looked at.
 */
export async function previewAudience(
  deps: AudienceDeps,
  filters: AudienceFilters,
  limit: number,
): Promise<{ rows: PreviewRow[]; examined: number; complete: boolean }> {
  const rows: PreviewRow[] = [];
  let cursor = WALK_START;
  let examined = 0;
  while (cursor !== WALK_END && examined < PREVIEW_EXAMINED && rows.length < limit) {
    const page = await deps.prospects.page(cursor, Math.min(PREVIEW_PAGE, PREVIEW_EXAMINED - examined));
    const facts = await factsOf(deps, page.prospects, filters);
    for (const [i, prospect] of page.prospects.entries()) {
      examined++;
      const fact = facts[i] as ProspectFacts;
      if (matches(prospect, fact, filters)) rows.push({ ...prospect, score: fact.score });
      if (rows.length >= limit) break;
    }
    cursor = rows.length >= limit ? cursor : page.next;
  }
  return { rows, examined, complete: cursor === WALK_END };
}
