import { isIPv4, isIPv6 } from 'node:net';

/**
 * The address policy for outgoing fetches. Herald fetches URLs that server admins and feeds
 * supply, so anything that is not a plain public unicast address is refused: private, loopback,
 * link-local, CGNAT, multicast, unspecified, broadcast, reserved and documentation ranges, and
 * every IPv6 form that carries or tunnels one of those IPv4 addresses.
 */

type V4Range = readonly [base: number, prefix: number];

const blockedV4: readonly V4Range[] = [
  [v4('0.0.0.0'), 8], // "this network", unspecified
  [v4('10.0.0.0'), 8], // private
  [v4('100.64.0.0'), 10], // carrier-grade NAT
  [v4('127.0.0.0'), 8], // loopback
  [v4('169.254.0.0'), 16], // link-local (cloud metadata lives here)
  [v4('172.16.0.0'), 12], // private
  [v4('192.0.0.0'), 24], // IETF protocol assignments
  [v4('192.0.2.0'), 24], // documentation
  [v4('192.88.99.0'), 24], // 6to4 relay anycast (deprecated)
  [v4('192.168.0.0'), 16], // private
  [v4('198.18.0.0'), 15], // benchmarking; also used by fake-IP proxies for internal names
  [v4('198.51.100.0'), 24], // documentation
  [v4('203.0.113.0'), 24], // documentation
  [v4('224.0.0.0'), 4], // multicast
  [v4('240.0.0.0'), 4], // reserved, includes 255.255.255.255 broadcast
];

/** Dotted-quad to an unsigned 32-bit number; callers validate with isIPv4 first. */
function v4(ip: string): number {
  return ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

function inV4Range(value: number, [base, prefix]: V4Range): boolean {
  const size = 2 ** (32 - prefix);
  return Math.floor(value / size) === Math.floor(base / size);
}

function isBlockedV4Number(value: number): boolean {
  return blockedV4.some((range) => inV4Range(value, range));
}

/** Expands a valid IPv6 text form (a trailing dotted quad allowed) into eight 16-bit words. */
function v6Words(ip: string): number[] {
  const lastColon = ip.lastIndexOf(':');
  const lastPart = ip.slice(lastColon + 1);
  // Rewrite a trailing dotted quad as two hex words so one parser handles both spellings.
  const text = lastPart.includes('.')
    ? `${ip.slice(0, lastColon + 1)}${(v4(lastPart) >>> 16).toString(16)}:${(v4(lastPart) & 0xffff).toString(16)}`
    : ip;
  const parse = (s: string): number[] => (s === '' ? [] : s.split(':').map((h) => parseInt(h, 16)));
  const [headText = '', restText] = text.split('::');
  const head = parse(headText);
  if (restText === undefined) return head;
  const rest = parse(restText);
  return [...head, ...new Array<number>(8 - head.length - rest.length).fill(0), ...rest];
}

function wordsToV4(high: number, low: number): number {
  return high * 65536 + low;
}

function isBlockedV6(words: number[]): boolean {
  const w = (i: number): number => words[i] ?? 0;
  const zeroUpTo = (n: number): boolean => words.slice(0, n).every((x) => x === 0);
  // ::ffff:a.b.c.d (IPv4-mapped) and ::ffff:0:a.b.c.d (IPv4-translated): judge the IPv4 inside.
  if (zeroUpTo(5) && w(5) === 0xffff) return isBlockedV4Number(wordsToV4(w(6), w(7)));
  if (zeroUpTo(4) && w(4) === 0xffff && w(5) === 0) return isBlockedV4Number(wordsToV4(w(6), w(7)));
  // ::/96 covers ::, ::1 and the deprecated IPv4-compatible form: never a public destination.
  if (zeroUpTo(6)) return true;
  // NAT64 well-known prefix 64:ff9b::/96 reaches the IPv4 inside; the local-use /48 is private.
  if (w(0) === 0x64 && w(1) === 0xff9b) {
    if (w(2) === 0 && w(3) === 0 && w(4) === 0 && w(5) === 0) {
      return isBlockedV4Number(wordsToV4(w(6), w(7)));
    }
    return true;
  }
  // 6to4 2002::/16 tunnels to the IPv4 in words 1-2.
  if (w(0) === 0x2002) return isBlockedV4Number(wordsToV4(w(1), w(2)));
  // Only global unicast 2000::/3 is fetchable; that excludes fc00::/7, fe80::/10, fec0::/10,
  // ff00::/8, 100::/64 and the rest of the unassigned space in one test.
  if ((w(0) & 0xe000) !== 0x2000) return true;
  // 2001::/23 holds Teredo (its IPv4 is obfuscated), ORCHID, benchmarking and other specials.
  if (w(0) === 0x2001 && w(1) < 0x200) return true;
  // 2001:db8::/32 documentation.
  if (w(0) === 0x2001 && w(1) === 0xdb8) return true;
  return false;
}

/**
 * True when Herald must not connect to `ip`. Accepts dotted IPv4 and any IPv6 text form (with or
 * without brackets or a zone id). Anything that is not a valid IP address is blocked: the check
 * fails closed.
 */
export function isBlockedAddress(ip: string): boolean {
  let text = ip.trim();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const zone = text.indexOf('%');
  // A zone id only makes sense for link-local and multicast, which are blocked anyway.
  if (zone !== -1) return true;
  if (isIPv4(text)) return isBlockedV4Number(v4(text));
  if (isIPv6(text)) return isBlockedV6(v6Words(text.toLowerCase()));
  return true;
}
