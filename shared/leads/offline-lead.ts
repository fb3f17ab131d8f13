import * as z from 'zod';
import type { LeadSourceCount } from '../ad-spend/ad-spend.ts';
import { moscowMonthOf } from '../ad-spend/ad-spend.ts';
import { CompanyInfo, ContactPerson, LeadSubmission } from './lead-submission.ts';
import { type OfflineChannel, offlineChannelOf, offlineChannels } from './offline-channels.ts';

/**
 * A lead an acquisition manager met offline (docs/offline-leads.md): the company, the person and their
 * consents as the web form carries them, and how the bank met them: a configured channel, the event's or
 * source's name, and what the meeting cost. The channel is an id from config/offline-channels.v1.json,
 * never free text, so leads are scored, counted and reported under the bank's own list.
 */

/** How the person's consent was given offline: the evidence the acquisition manager holds. */
export const CONSENT_FORMS = ['signed_paper', 'signed_electronic'] as const;

export const OfflineSource = z
  .strictObject({
    channel: z
      .string()
      .refine((id) => offlineChannelOf(id) !== undefined, {
        message: `Not a configured offline channel (${offlineChannels.channels.map((c) => c.id).join(', ')})`,
      })
      .meta({ description: 'An offline channel id from the configured list (e.g. conference, exhibition)' }),
    sourceName: z.string().trim().min(1).max(200).meta({
      description: "The event or source: e.g. «Иннопром-2026», the association's name",
    }),
    costKopecks: z.int().min(0).max(1_000_000_000_000).optional().meta({
      description: 'What meeting this company cost the bank, in whole kopecks, if anything',
    }),
  })
  .meta({ id: 'OfflineSource', description: 'How the bank met the company offline' });

export const OfflineConsentRecord = z
  .strictObject({
    form: z.enum(CONSENT_FORMS).meta({
      description:
        '`signed_paper`: the person signed the printed text; `signed_electronic`: they signed it on a device',
    }),
    documentRef: z.string().trim().min(1).max(100).meta({
      description: "The signed consent's reference in the bank's records, to find it when asked",
    }),
  })
  .meta({
    id: 'OfflineConsentRecord',
    description: 'The evidence of consents given offline, which the acquisition manager holds',
  });

export const OfflineLeadBody = z
  .strictObject({
    company: CompanyInfo,
    contact: ContactPerson,
    products: LeadSubmission.shape.products,
    message: z.string().max(4000).optional(),
    consents: LeadSubmission.shape.consents,
    consentRecord: OfflineConsentRecord,
    offline: OfflineSource,
  })
  .meta({
    id: 'OfflineLeadBody',
    description: 'A lead an acquisition manager met offline, posted to POST /v1/offline-leads',
  });
export type OfflineLeadBody = z.output<typeof OfflineLeadBody>;

/** How the bank met a lead offline, as kept on the lead (and on an enquiry) with who recorded it. */
export type OfflineOrigin = {
  channel: string;
  configVersion: string;
  sourceName: string;
  costKopecks?: number;
  consentRecord: z.output<typeof OfflineConsentRecord>;
  /** The member of staff who met the company and recorded the lead: the bank brought it. */
  recordedBy: string;
};

export const OfflineOriginView = z
  .strictObject({
    channel: z.string().meta({ description: 'The configured offline channel id' }),
    configVersion: z.string().meta({ description: 'The offline channels configuration that held it' }),
    sourceName: z.string(),
    costKopecks: z.int().nullable(),
    consentRecord: OfflineConsentRecord,
    recordedBy: z
      .string()
      .meta({ description: 'The acquisition manager who met the company and recorded it' }),
  })
  .meta({ id: 'OfflineOrigin', description: 'How the bank met the company offline, and who recorded it' });

export const offlineOriginView = (origin: OfflineOrigin): z.input<typeof OfflineOriginView> => ({
  ...origin,
  costKopecks: origin.costKopecks ?? null,
});

/** The body as the capture path's submission, and the origin the lead keeps. */
export function offlineSubmissionOf(
  body: OfflineLeadBody,
  recordedBy: string,
): { submission: z.input<typeof LeadSubmission>; origin: OfflineOrigin; channel: OfflineChannel } {
  const channel = offlineChannelOf(body.offline.channel);
  if (!channel) throw new Error(`Offline channel ${body.offline.channel} was not checked`);
  const { offline, consentRecord, ...submission } = body;
  return {
    submission,
    channel,
    origin: {
      channel: channel.id,
      configVersion: offlineChannels.version,
      sourceName: offline.sourceName,
      ...(offline.costKopecks !== undefined ? { costKopecks: offline.costKopecks } : {}),
      consentRecord,
      recordedBy,
    },
  };
}

/**
 * Where a new offline lead is counted beside the web's UTM sources: its channel id as the source, medium
 * `offline`, the event's name (lower-cased) as the campaign; a spend recorded with the same key is set
 * against it in the cost-per-lead report.
 */
export const offlineSourceCountOf = (origin: OfflineOrigin, receivedAt: string): LeadSourceCount => ({
  month: moscowMonthOf(receivedAt),
  source: origin.channel,
  medium: 'offline',
  campaign: origin.sourceName.trim().toLowerCase(),
});
