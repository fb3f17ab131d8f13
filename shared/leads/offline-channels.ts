import * as z from 'zod';
import { ConfigVersion } from '#events/lead-events.ts';
import { parseConfig } from '../config-data.ts';
import type { Locale } from '../templates/locale.ts';
import v1 from './config/offline-channels.v1.json' with { type: 'json' };
import type { Channel } from './lead-submission.ts';

/**
 * The offline channels acquisition managers meet companies through (the seed's direct channels:
 * conferences, exhibitions, symposiums, the bank's presentations, personal contacts, staff's relatives in
 * business, news of successful companies, business associations): data the bank tunes
 * (config/offline-channels.v1.json), checked when the module loads. Each maps to the attribution channel
 * its leads are scored and reported under; a lead names a channel by its id, never in free text.
 */
export const OFFLINE_CATEGORIES = [
  'events',
  'personal_contacts',
  'staff_relatives',
  'company_information',
  'associations',
] as const;

/** Channels a person meets the bank through: the web, letters and open days have routes of their own. */
const OFFLINE_ATTRIBUTION = [
  'event',
  'personal_contact',
  'association',
] as const satisfies readonly Channel[];

const Name = z.string().trim().min(1).max(100);

export const OfflineChannelId = z
  .string()
  .regex(/^[a-z][a-z0-9_]{1,49}$/, 'a channel id: lower-case letters, digits, _');

export const OfflineChannel = z.strictObject({
  id: OfflineChannelId,
  name: z.strictObject({ ru: Name, en: Name } satisfies Record<Locale, typeof Name>),
  category: z.enum(OFFLINE_CATEGORIES),
  attributionChannel: z.enum(OFFLINE_ATTRIBUTION),
});
export type OfflineChannel = z.infer<typeof OfflineChannel>;

export const OfflineChannelsConfig = z
  .strictObject({
    version: ConfigVersion,
    channels: z
      .array(OfflineChannel)
      .min(1)
      .max(50)
      .superRefine((channels, ctx) => {
        const seen = new Set<string>();
        channels.forEach((channel, i) => {
          if (seen.has(channel.id)) {
            ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `Duplicate channel id ${channel.id}` });
          }
          seen.add(channel.id);
        });
      }),
  })
  .meta({ id: 'OfflineChannelsConfig', description: 'The offline channels an offline lead names' });
export type OfflineChannelsConfig = z.infer<typeof OfflineChannelsConfig>;

/** Validates an offline channels configuration; a bad one fails loudly with every offending path. */
export function parseOfflineChannels(json: unknown): OfflineChannelsConfig {
  return parseConfig(OfflineChannelsConfig, json, 'offline channels configuration');
}

export const offlineChannels: OfflineChannelsConfig = parseOfflineChannels(v1);

/** The configured channel with this id, if there is one. */
export const offlineChannelOf = (
  id: string,
  config: OfflineChannelsConfig = offlineChannels,
): OfflineChannel | undefined => config.channels.find((c) => c.id === id);
