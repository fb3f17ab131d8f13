import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { Keys } from '#shared/access/keys.ts';
import { AudienceStore } from '#shared/adapters/audience-store.ts';
import { CampaignProgressStore } from '#shared/adapters/campaign-progress-store.ts';
import { CampaignResponseStore } from '#shared/adapters/campaign-response-store.ts';
import { CampaignStore } from '#shared/adapters/campaign-store.ts';
import { Directory } from '#shared/adapters/directory.ts';
import { OfferStore } from '#shared/adapters/offer-store.ts';
import { ProspectBookStore } from '#shared/adapters/prospect-book.ts';
import { ProspectStore } from '#shared/adapters/prospect-store.ts';
import { SendAllowanceStore } from '#shared/adapters/send-allowance-store.ts';
import { SuppressionStore } from '#shared/adapters/suppression-store.ts';
import { keys as tableKeys } from '#shared/adapters/table.ts';
import type { NewCampaignInput } from '#shared/campaigns/campaign.ts';
import { type LetterMail, SendFailure, type SendFailureKind } from '#shared/campaigns/deliver-letter.ts';
import { type CampaignDeps, createCampaign, launchCampaign } from '#shared/campaigns/keep-campaigns.ts';
import type { SendLettersDeps } from '#shared/campaigns/send-letters.ts';
import { completeInn10 } from '#shared/leads/inn.ts';
import type { Email } from '#shared/leads/ports.ts';
import { DEFAULT_SEND_POLICY, type SendPolicy } from '#shared/letters/suppression.ts';
import { createOffer, decideVersion } from '#shared/offers/keep-offers.ts';
import { type Prospect, prospectIdOf } from '#shared/prospects/prospect.ts';
import { anOfferInput } from '../../unit/support/offers.ts';
import type { startAttractTable } from './attract-table.ts';

type Table = Awaited<ReturnType<typeof startAttractTable>>;

export const campaignKeys = Keys.derive('campaign-sending-test-key-material-0123456789');

/** An always-open window, so tests that are not about quiet hours never wait for one. */
export const ANYTIME: SendPolicy = {
  ...DEFAULT_SEND_POLICY,
  consentRequired: true,
  sendingWindow: { from: '00:00', until: '23:59' },
};

/**
 * SES as the sender sees it, for injecting its faults: it keeps each letter it takes, and can throttle,
 * fail or refuse a share of the attempts (seeded, so a run is repeatable). The thing under test is the
 * sender and its records; the end-to-end tests send through the real local SES.
 */
export class FaultySes implements LetterMail {
  readonly taken: Email[] = [];
  attempts = 0;
  private seed: number;
  faults: { share: number; kind: SendFailureKind } | undefined;
  /** Called after SES took the n-th letter (1-based): a hook to crash or pause there. */
  afterTaking?: (n: number) => void | Promise<void>;

  constructor(seed = 7) {
    this.seed = seed;
  }

  async send(email: Email): Promise<string> {
    this.attempts++;
    if (this.faults && this.random() < this.faults.share) {
      throw new SendFailure(
        this.faults.kind,
        this.faults.kind === 'throttled' ? 'TooManyRequestsException' : 'Fault',
      );
    }
    this.taken.push(email);
    await this.afterTaking?.(this.taken.length);
    return `message-${this.taken.length}-${randomUUID()}`;
  }

  /** How many letters each address got. */
  lettersTo(address: string): number {
    return this.taken.filter((e) => e.to === address).length;
  }

  private random(): number {
    this.seed = (this.seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return this.seed / 2_147_483_648;
  }
}

/** The n-th test prospect: a company with consent, in Moscow's zone unless told otherwise. */
export function aProspect(
  n: number,
  overrides: Partial<Prospect> = {},
  email = `contact${n}@firm${n}.example`,
): Prospect {
  const inn = completeInn10(`77${String(n).padStart(7, '0')}`);
  return {
    prospectId: prospectIdOf(campaignKeys, inn, email),
    company: {
      name: `ООО «Фирма ${n}»`,
      inn,
      regionCode: '77',
      industry: 'manufacturing',
      sizeBand: 'medium',
    },
    contact: { name: `Контакт ${n}`, email },
    language: 'ru',
    timeZone: 'Europe/Moscow',
    tags: [],
    marketingConsent: { granted: true, source: 'выставка', date: '2026-03-15' },
    source: { importId: 'campaign-test', line: n },
    ...overrides,
  };
}

/** Everything a campaign needs, in the table: prospects, frozen audiences, an approved offer. */
export class CampaignWorld {
  readonly table: Table;
  readonly ses = new FaultySes();
  readonly starts: string[] = [];
  private clock: Date | undefined;

  constructor(table: Table) {
    this.table = table;
  }

  private store<T>(Adapter: new (client: Table['documentClient'], tableName: string) => T): T {
    return new Adapter(this.table.documentClient, this.table.tableName);
  }

  /** Fixes the clock the sender reads (quiet hours); unset, it reads the real time. */
  setClock(at: Date | undefined): void {
    this.clock = at;
  }

  now = (): Date => this.clock ?? new Date();

  get campaignDeps(): CampaignDeps {
    return {
      campaigns: this.store(CampaignStore),
      progress: this.store(CampaignProgressStore),
      responses: this.store(CampaignResponseStore),
      audiences: this.store(AudienceStore),
      offers: this.store(OfferStore),
      runs: {
        startRun: async (campaignId, run) => {
          this.starts.push(`${campaignId}-${run}`);
          return 'started';
        },
      },
      now: this.now,
      newId: randomUUID,
    };
  }

  sendDeps(overrides: Partial<SendLettersDeps> = {}): SendLettersDeps {
    const suppressions = this.store(SuppressionStore);
    return {
      campaigns: this.store(CampaignStore),
      progress: this.store(CampaignProgressStore),
      audiences: this.store(AudienceStore),
      prospects: this.store(ProspectBookStore),
      responses: this.store(CampaignResponseStore),
      suppression: {
        keys: campaignKeys,
        suppressions,
        sendCounter: suppressions,
        clients: this.store(Directory),
      },
      offers: { offers: this.store(OfferStore), now: this.now, newId: randomUUID },
      keys: campaignKeys,
      apiUrl: 'https://api.bank.example',
      mail: this.ses,
      allowance: this.store(SendAllowanceStore),
      accountRate: async () => 1000,
      budgetMs: 60_000,
      now: this.now,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20))),
      ...overrides,
    };
  }

  async prospects<T extends Prospect[]>(list: [...T]): Promise<T> {
    await this.store(ProspectStore).store(list);
    return list;
  }

  /** A frozen audience of these prospects, written as the freezing job writes one. */
  async frozenAudience(members: readonly Prospect[]): Promise<string> {
    const audienceId = `aud-${randomUUID()}`;
    const put = (Item: Record<string, unknown>) =>
      this.table.documentClient.send(new PutCommand({ TableName: this.table.tableName, Item }));
    await Promise.all(
      members.map((p) =>
        put({
          pk: tableKeys.audience(audienceId).pk,
          sk: `MEMBER#${p.prospectId}`,
          prospectId: p.prospectId,
        }),
      ),
    );
    await put({
      ...tableKeys.audience(audienceId),
      status: 'frozen',
      name: 'Test',
      count: members.length,
      frozenAt: new Date().toISOString(),
    });
    return audienceId;
  }

  /** An offer written by one person and approved by another: its version 1 may be sent. */
  async approvedOffer(): Promise<string> {
    const deps = { offers: this.store(OfferStore), now: () => new Date(), newId: randomUUID };
    const first = await createOffer(deps, 'anna.campaigns', anOfferInput());
    await decideVersion(deps, 'oleg.compliance', {
      offerId: first.offerId,
      version: 1,
      outcome: 'approved',
      hash: first.hash,
    });
    return first.offerId;
  }

  /** A launched campaign to these audiences with one step of an approved offer. */
  async launched(audienceIds: string[], input: Partial<NewCampaignInput> = {}): Promise<string> {
    const offerId = await this.approvedOffer();
    const campaign = await createCampaign(this.campaignDeps, 'anna.campaigns', {
      name: 'Расчётный счёт для производства',
      audienceIds,
      steps: [{ offerId, version: 1 }],
      signatory: { name: 'Иван Иванов', email: 'i.ivanov@bank.example', phone: '+74951234567' },
      policy: ANYTIME,
      sendRate: 500,
      ...input,
    });
    await launchCampaign(this.campaignDeps, campaign.campaignId);
    return campaign.campaignId;
  }
}
