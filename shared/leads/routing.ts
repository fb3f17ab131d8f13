import type { Locale } from '../templates/locale.ts';
import type { Product, SizeBand } from './lead-submission.ts';

export const SEGMENTS = ['corporate', 'mid_market', 'small_business'] as const;
export type Segment = (typeof SEGMENTS)[number];

/** Unknown size goes to small business: the unit that handles the most leads takes the least known. */
export function segmentOf(sizeBand: SizeBand | undefined): Segment {
  if (sizeBand === 'large') return 'corporate';
  if (sizeBand === 'medium') return 'mid_market';
  return 'small_business';
}

/** A personal manager owns a corporate client's relationship with the bank for the long term. */
export type PersonalManager = {
  managerId: string;
  name: string;
  email: string;
  segments: Segment[];
  /** Region codes this manager covers; '*' means any region. */
  regions: string[];
  /** Products this manager is skilled in. */
  products: Product[];
  capacity: number;
  activeLeads: number;
  active: boolean;
  /** The language of the emails this manager reads; absent means Russian. */
  language?: Locale;
};

export type RoutingNeed = { segment: Segment; regionCode: string; products: readonly Product[] };

export const ANY_REGION = '*';

type Candidate = { manager: PersonalManager; skills: number; exactRegion: boolean };

/**
 * Managers who may take the lead, best first: least loaded, then most skilled in the products asked for,
 * then covering the region by name rather than by '*', then by id so every run ranks alike.
 * Only ranks: callers take capacity with a conditional write and move on to the next when it fails.
 */
export function rankManagers(managers: readonly PersonalManager[], need: RoutingNeed): PersonalManager[] {
  const candidates: Candidate[] = [];
  for (const manager of managers) {
    const exactRegion = manager.regions.includes(need.regionCode);
    const eligible =
      manager.active &&
      manager.capacity > 0 &&
      manager.activeLeads < manager.capacity &&
      manager.segments.includes(need.segment) &&
      (exactRegion || manager.regions.includes(ANY_REGION));
    if (!eligible) continue;
    const skills = need.products.filter((p) => manager.products.includes(p)).length;
    candidates.push({ manager, skills, exactRegion });
  }
  return candidates.sort(byPreference).map((c) => c.manager);
}

function byPreference(a: Candidate, b: Candidate): number {
  // Load ratios compared by cross-multiplying, so equal ratios tie exactly (1/2 and 2/4).
  const load = a.manager.activeLeads * b.manager.capacity - b.manager.activeLeads * a.manager.capacity;
  if (load !== 0) return load;
  if (a.skills !== b.skills) return b.skills - a.skills;
  if (a.exactRegion !== b.exactRegion) return a.exactRegion ? -1 : 1;
  if (a.manager.managerId === b.manager.managerId) return 0;
  return a.manager.managerId < b.manager.managerId ? -1 : 1;
}
