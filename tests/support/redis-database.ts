/**
 * A Redis database of a test's own, for tests whose Herald processes use the default key
 * prefix and so need an empty database rather than a unique prefix. Several sessions run the
 * suite at once against one Redis; a fixed database number that each run flushes let one run
 * wipe another's data mid-test. Each lease is a claim (SET NX PX) in database 0, so two runs
 * never hold the same database, and an abandoned lease expires on its own.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from '@keyv/redis';
import { HANG_GUARD_MS, waitFor } from './wait.ts';

/** Databases 10–15 are left to these leases; everything else uses database 0 with unique prefixes. */
const LEASED_DATABASES = [10, 11, 12, 13, 14, 15];
const LEASE_MS = 10 * 60_000;

export interface RedisDatabaseLease {
  /** redis://host:port/<n>, emptied when leased. */
  url: string;
  release(): Promise<void>;
}

export async function leaseRedisDatabase(redisUrl: string): Promise<RedisDatabaseLease> {
  const base = redisUrl.replace(/\/\d*$/, '');
  const control = createClient({ url: `${base}/0` });
  await control.connect();
  const token = randomUUID();
  let database: number | undefined;
  try {
    await waitFor(
      async () => {
        for (const n of [...LEASED_DATABASES].sort(() => Math.random() - 0.5)) {
          if ((await control.set(`herald-test-db-lease:${n}`, token, { NX: true, PX: LEASE_MS })) === 'OK') {
            database = n;
            return true;
          }
        }
        return false;
      },
      { what: 'a free Redis test database', intervalMs: 200, timeoutMs: HANG_GUARD_MS },
    );
  } finally {
    await control.close();
  }
  const url = `${base}/${database}`;
  const client = createClient({ url });
  await client.connect();
  await client.flushDb();
  await client.close();
  return {
    url,
    async release() {
      const releaser = createClient({ url: `${base}/0` });
      await releaser.connect();
      // Only our own lease: a lease that expired and was taken by another run stays theirs.
      if ((await releaser.get(`herald-test-db-lease:${database}`)) === token)
        await releaser.del(`herald-test-db-lease:${database}`);
      await releaser.close();
    },
  };
}
