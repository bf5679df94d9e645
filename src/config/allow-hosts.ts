/**
 * The operator's exceptions to the private-address rule (`ingest.fetch.allowHosts`): self-hosters
 * read intranet feeds and a local RSSHub. An entry is a host name (that name may resolve to a
 * private address) or an address or CIDR range (those addresses may be reached whatever name
 * led to them). Everything else stays refused, and each redirect hop is judged on its own, so a
 * redirect out of the allowlist to another private address is refused as before.
 *
 * Only the config file sets this; nothing reachable from Discord does.
 */
import { BlockList, isIP } from 'node:net';

export interface HostAllowlist {
  /** True when the operator allowed this address, or the host name it was reached by. */
  allows(ip: string, hostname?: string): boolean;
  readonly empty: boolean;
}

const HOST_NAME =
  /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** Why an allowHosts entry is not usable, or undefined when it is. */
export function allowHostProblem(entry: string): string | undefined {
  const [address, prefixText, extra] = entry.split('/');
  if (extra !== undefined || address === undefined)
    return 'expected a host name, an IP address or a CIDR range such as 10.0.0.0/8';
  const family = isIP(address);
  if (prefixText !== undefined) {
    if (family === 0) return 'a CIDR range needs an IP address before the slash';
    const prefix = Number(prefixText);
    const bits = family === 4 ? 32 : 128;
    if (!/^\d+$/.test(prefixText) || prefix > bits) return `the prefix must be 0–${bits}`;
    if (prefix === 0) return 'a /0 range would allow every address: list the networks you mean';
    return undefined;
  }
  if (family !== 0) return undefined;
  return HOST_NAME.test(entry)
    ? undefined
    : 'expected a host name, an IP address or a CIDR range such as 10.0.0.0/8';
}

export function createHostAllowlist(entries: readonly string[]): HostAllowlist {
  const names = new Set<string>();
  const ranges = new BlockList();
  for (const entry of entries) {
    if (allowHostProblem(entry) !== undefined)
      throw new Error(`allowHosts: ${entry}: ${allowHostProblem(entry)}`);
    const [address = '', prefixText] = entry.split('/');
    const family = isIP(address);
    if (family === 0) names.add(entry.toLowerCase().replace(/\.$/, ''));
    else if (prefixText === undefined) ranges.addAddress(address, family === 4 ? 'ipv4' : 'ipv6');
    else ranges.addSubnet(address, Number(prefixText), family === 4 ? 'ipv4' : 'ipv6');
  }
  return {
    empty: entries.length === 0,
    allows(ip, hostname) {
      if (
        hostname !== undefined &&
        names.has(
          hostname
            .toLowerCase()
            .replace(/^\[|\]$/g, '')
            .replace(/\.$/, ''),
        )
      )
        return true;
      const family = isIP(ip);
      return family !== 0 && ranges.check(ip, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}
