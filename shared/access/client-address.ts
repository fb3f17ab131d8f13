import { BlockList, isIP } from 'node:net';

/**
 * Proxies the bank puts in front of the API (its web server, a CDN), as addresses or CIDR blocks, e.g.
 * `10.0.0.0/8,192.0.2.10`. Throws on anything that is not one, so a typo fails the deployment.
 */
export function trustedProxiesOf(list: string): BlockList {
  const proxies = new BlockList();
  for (const entry of list
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address);
    if (!family) throw new Error(`Not an IP address or CIDR block: ${entry}`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) proxies.addAddress(address, type);
    else {
      const bits = Number(prefix);
      if (!/^\d+$/.test(prefix) || bits > (family === 4 ? 32 : 128))
        throw new Error(`Not a CIDR block: ${entry}`);
      proxies.addSubnet(address, bits, type);
    }
  }
  return proxies;
}

const trusts = (proxies: BlockList, address: string) => {
  const family = isIP(address);
  return family !== 0 && proxies.check(address, family === 4 ? 'ipv4' : 'ipv6');
};

/**
 * The address a submission is counted against. The connection's own address, unless it comes from a
 * configured proxy: then the nearest address in `X-Forwarded-For` that is not one of ours. Anyone can
 * write that header, so without a configured proxy it is never read, and past our proxies only the hop
 * our last proxy saw is believed; a hop that is not an address stops the walk at that proxy.
 */
export function clientAddressOf(
  sourceIp: string,
  forwardedFor: string | undefined,
  proxies: BlockList | undefined,
): string {
  if (!proxies || !trusts(proxies, sourceIp)) return sourceIp;
  const hops = (forwardedFor ?? '').split(',').map((hop) => hop.trim());
  let client = sourceIp;
  for (const hop of hops.reverse()) {
    if (!isIP(hop)) return client;
    client = hop;
    if (!trusts(proxies, hop)) return hop;
  }
  return client;
}
