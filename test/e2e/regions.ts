import { randomUUID } from 'node:crypto';
import { completeInn10 } from '#shared/leads/inn.ts';
import { ROUND_THE_CLOCK } from '#shared/managers/roster.ts';
import { aManager } from '../unit/support/ports-contract.ts';
import { call, clientAddress, directory, enquiry, leadAtRest, managerToken } from './client.ts';

/**
 * Each test that routes owns a region no demo PM covers (and no other test uses): its managers and its
 * leads meet nobody else's.
 */

/** A manufacturer's enquiry from the region, as the form sends it. */
export function enquiryFrom(region: string) {
  return enquiry({
    company: {
      name: `Region${region} ${randomUUID().slice(0, 8)} LLC`,
      inn: completeInn10(`${region}${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`),
      sizeBand: 'medium',
      industry: 'manufacturing',
    },
  });
}

/** The region's enquiry, submitted and read back at rest (offered to a manager and waiting, or ended). */
export async function leadFrom(region: string) {
  const { body } = await call('POST', '/v1/leads', { body: enquiryFrom(region), from: clientAddress() });
  return leadAtRest(body.leadId);
}

/** Managers of the region at work around the clock, each signed in, each with an address of their own. */
export async function unitOf(region: string, count: number) {
  const managers = Array.from({ length: count }, (_, i) => {
    const managerId = `pm-${region}-${i}-${randomUUID().slice(0, 8)}`;
    return aManager({
      managerId,
      email: `${managerId}@bank.example`,
      regions: [region],
      workingHours: ROUND_THE_CLOCK,
    });
  });
  for (const m of managers) await (await directory()).putManager(m);
  const signedIn = await Promise.all(managers.map((m) => managerToken(m.managerId)));
  return managers.map((m, i) => ({ ...m, token: signedIn[i] ?? '' }));
}
