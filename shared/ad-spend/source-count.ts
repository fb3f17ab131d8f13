import type { Lead } from '../leads/lead.ts';
import { offlineSourceCountOf } from '../leads/offline-lead.ts';
import { type LeadSourceCount, leadSourceCountOf } from './ad-spend.ts';

/**
 * The counter a lead is counted on, from what the lead keeps: a lead met offline under its channel and
 * event, a web lead under its first touch's UTM source; the month is the lead's capture month. Its
 * conversion is counted on the same counter, so a month's cost is set against the leads it brought and
 * the clients those leads became, whenever they converted.
 */
export const sourceCountOf = (
  lead: Pick<Lead, 'attribution' | 'offline' | 'receivedAt'>,
): LeadSourceCount | undefined =>
  lead.offline
    ? offlineSourceCountOf(lead.offline, lead.receivedAt)
    : leadSourceCountOf(lead.attribution, lead.receivedAt);
