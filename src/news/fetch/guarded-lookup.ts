import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { FetchError, networkError } from './fetch-error.ts';

/** One resolved address, as a resolver returns it. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has. Injected in tests to point names anywhere. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** The system resolver (getaddrinfo), the same one node:http would use by default. */
export const systemResolver: Resolver = async (hostname) => {
  const found = await dnsLookup(hostname, { all: true, order: 'verbatim' });
  return found.map((entry) => ({ address: entry.address, family: entry.family === 6 ? 6 : 4 }));
};

export function blockedAddressError(host: string): FetchError {
  return new FetchError(
    'blocked-address',
    `Herald does not fetch from private, local or reserved network addresses, and ${host} points to one.`,
  );
}

/**
 * A `lookup` for node:net that resolves the name and hands the socket only addresses the policy
 * allows. Because node:net connects to exactly what this returns, the check and the connect see
 * the same address: a name that re-resolves between a separate check and the connect (DNS
 * rebinding) cannot slip through. Disallowed addresses are dropped; none left is an error.
 */
export function createGuardedLookup(
  resolve: Resolver,
  isAllowed: (ip: string, hostname: string) => boolean,
): LookupFunction {
  return (hostname, options, callback) => {
    const family =
      options.family === 4 || options.family === 'IPv4'
        ? 4
        : options.family === 6 || options.family === 'IPv6'
          ? 6
          : 0;
    resolve(hostname).then(
      (addresses) => {
        const candidates = addresses.filter((entry) => family === 0 || entry.family === family);
        const allowed = candidates.filter((entry) => isAllowed(entry.address, hostname));
        const first = allowed[0];
        if (candidates.length === 0) callback(networkError(hostname, { code: 'ENOTFOUND' }), '');
        else if (first === undefined) callback(blockedAddressError(hostname), '');
        else if (options.all === true) callback(null, allowed);
        else callback(null, first.address, first.family);
      },
      (error: unknown) => callback(networkError(hostname, error), ''),
    );
  };
}
