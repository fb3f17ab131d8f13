import { randomUUID } from 'node:crypto';
import type { WalkedProspect } from '#shared/audiences/audience.ts';
import type { AudienceDeps, FreezingStarter } from '#shared/audiences/keep-audiences.ts';
import { INDUSTRIES, SIZE_BANDS } from '#shared/leads/lead-submission.ts';
import { scoringConfig } from '#shared/leads/scoring-config.ts';
import { type Prospect, ProspectFields, toProspect } from '#shared/prospects/prospect.ts';
import { InMemoryAudiences } from './in-memory-audiences.ts';
import { InMemorySuppression } from './in-memory-suppression.ts';
import { innOf, keys } from './prospect-file.ts';

/** The n-th prospect of a varied set: industries, regions, sizes, tags and consent cycle through their values. */
export function aVariedProspect(n: number): Prospect {
  const fields = ProspectFields.parse({
    company: {
      name: `Фирма ${n}`,
      inn: innOf(n),
      ...(n % 7 === 0 ? {} : { industry: INDUSTRIES[n % INDUSTRIES.length] }),
      ...(n % 5 === 0 ? {} : { sizeBand: SIZE_BANDS[n % SIZE_BANDS.length] }),
      ...(n % 3 === 0 ? { website: `https://firm${n}.ru` } : {}),
    },
    contact: {
      name: `Контакт ${n}`,
      email: `c${n}@firm${n}.ru`,
      ...(n % 2 ? { phone: '+74951234567' } : {}),
    },
    tags: [['sme'], ['sme', 'export'], [], ['export']][n % 4],
    marketingConsent: n % 2 ? { granted: true, source: 'form', date: '2026-01-01' } : { granted: false },
  });
  return toProspect(keys, fields, { importId: 'varied', line: n + 1 });
}

export const walked = ({
  prospectId,
  company,
  contact,
  tags,
  marketingConsent,
}: Prospect): WalkedProspect => ({
  prospectId,
  company,
  contact,
  tags,
  marketingConsent,
});

/** Records the runs an approval asks to start. */
export class RecordingStarter implements FreezingStarter {
  readonly runs: { audienceId: string; run: string }[] = [];
  async startFreezing(audienceId: string, run: string): Promise<void> {
    this.runs.push({ audienceId, run });
  }
}

/** Audiences over in-memory prospects and letters, with a recording starter. */
export function audienceWorld(prospects: readonly Prospect[] = []) {
  const suppression = new InMemorySuppression();
  const store = new InMemoryAudiences(new Map(prospects.map((p) => [p.prospectId, p])), suppression.counted);
  const starter = new RecordingStarter();
  const deps: AudienceDeps & { starter: RecordingStarter } = {
    audiences: store,
    prospects: store,
    lastContacts: store,
    keys,
    scoring: scoringConfig,
    now: () => new Date('2026-12-01T09:00:00.000Z'),
    newId: randomUUID,
    starter,
  };
  return { deps, store, suppression, starter };
}
