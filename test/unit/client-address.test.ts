import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientAddressOf, trustedProxiesOf } from '#shared/access/client-address.ts';

const proxies = trustedProxiesOf('10.0.0.0/8, 192.0.2.10, 2001:db8::/32');

describe('the client address a submission is counted against', () => {
  it("is the connection's own address when no proxy is configured, whatever X-Forwarded-For says", () => {
    expect(clientAddressOf('198.51.100.7', '203.0.113.1', undefined)).toBe('198.51.100.7');
  });

  it('ignores X-Forwarded-For from a connection that is not one of our proxies', () => {
    expect(clientAddressOf('198.51.100.7', '203.0.113.1', proxies)).toBe('198.51.100.7');
  });

  it('takes the hop our proxy saw, not what the client wrote before it', () => {
    // The client forged the first entry; our proxy appended the address it saw.
    expect(clientAddressOf('10.1.2.3', '1.1.1.1, 203.0.113.9', proxies)).toBe('203.0.113.9');
    expect(clientAddressOf('192.0.2.10', '1.1.1.1, 203.0.113.9, 10.9.9.9', proxies)).toBe('203.0.113.9');
    expect(clientAddressOf('10.1.2.3', '2001:db8::1, 2a00:1450::5', proxies)).toBe('2a00:1450::5');
  });

  it('stops at our proxy when the hop before it is not an address, or there is none', () => {
    expect(clientAddressOf('10.1.2.3', 'not-an-ip', proxies)).toBe('10.1.2.3');
    expect(clientAddressOf('10.1.2.3', '203.0.113.9, , 10.4.4.4', proxies)).toBe('10.4.4.4');
    expect(clientAddressOf('10.1.2.3', undefined, proxies)).toBe('10.1.2.3');
  });

  it('never answers an address from the header unless the connection came through our proxy', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.array(fc.ipV4(), { maxLength: 5 }), (source, hops) => {
        const answer = clientAddressOf(source, hops.join(', '), proxies);
        if (!proxies.check(source, 'ipv4')) expect(answer).toBe(source);
        else expect([source, ...hops]).toContain(answer);
      }),
    );
  });

  it('refuses a setting that is not an address or CIDR block', () => {
    expect(() => trustedProxiesOf('10.0.0.0/33')).toThrow(/CIDR/);
    expect(() => trustedProxiesOf('proxy.bank.example')).toThrow(/Not an IP/);
    expect(() => trustedProxiesOf('')).not.toThrow();
  });
});
