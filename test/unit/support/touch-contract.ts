import { describe, expect, it } from 'vitest';
import { newEnquiryOf } from './new-enquiry.ts';
import { aLead, anEnquiry, newLeadOf, type PortsUnderTest } from './ports-contract.ts';

const T0 = '2026-11-23T10:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

/** The last touch's contract (docs/web-forms.md), kept by the in-memory ports and the DynamoDB adapters. */
export function touchContract(name: string, setup: () => PortsUnderTest) {
  describe(`the last touch's contract: ${name}`, () => {
    const stored = async (ports: PortsUnderTest) => {
      const lead = aLead();
      await ports.leads.capture(newLeadOf(lead));
      return lead;
    };

    it("keeps the latest enquiry's touch as the last touch, whatever order the writes land in", async () => {
      const ports = setup();
      const lead = await stored(ports);
      expect((await ports.leads.read(lead.leadId))?.lastTouch).toBeUndefined();
      const touched = (minute: number, source: string) => ({
        ...anEnquiry(lead, at(minute)),
        attribution: { channel: 'web' as const, utm: { source }, landingPage: 'https://bank.example/sme' },
      });
      const later = touched(5, 'yandex');
      expect(await ports.leads.addEnquiry(newEnquiryOf(later))).toEqual({
        outcome: 'added',
        leadId: lead.leadId,
      });
      // An earlier enquiry whose write lands late is kept, but the last touch stays the later one.
      expect(await ports.leads.addEnquiry(newEnquiryOf(touched(3, 'vk')))).toEqual({
        outcome: 'added',
        leadId: lead.leadId,
      });
      const read = await ports.leads.read(lead.leadId);
      expect(read?.touchCount).toBe(2);
      expect(read?.lastTouch).toEqual({
        at: at(5),
        channel: 'web',
        utm: { source: 'yandex' },
        landingPage: 'https://bank.example/sme',
        enquiryId: later.enquiryId,
      });
      const latest = touched(7, 'google');
      await ports.leads.addEnquiry(newEnquiryOf(latest));
      expect((await ports.leads.read(lead.leadId))?.lastTouch?.enquiryId).toBe(latest.enquiryId);
    });
  });
}
