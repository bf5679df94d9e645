/**
 * Shard leases shared by instances in one process, for tests without Redis: the same rules as
 * createRedisShardLeases (a lease is the owner's id with an expiry, renewed while still the
 * owner's or retaken when lapsed and free, the first count proposed stands while any instance
 * beats and only grows when raised, an instance counts as alive for one lease time after its last beat), kept in maps
 * and read against a clock.
 */
import type { ShardLeases } from '../../src/discord/shards/shard-leases.ts';

export interface MemoryLeaseBoard {
  /** The leases one instance sees. */
  leasesFor(instanceId: string, leaseMs: number): ShardLeases;
  /** The live owner of a shard's lease at `count`, if any. */
  ownerOf(shardId: number, count: number): string | undefined;
}

export function createMemoryLeaseBoard(now: () => number = Date.now): MemoryLeaseBoard {
  const leases = new Map<string, { owner: string; until: number }>();
  const instances = new Map<string, number>();
  let agreed: { count: number; until: number } | undefined;
  const keyOf = (shardId: number, count: number): string => `${count}:${shardId}`;
  const live = (key: string) => {
    const lease = leases.get(key);
    return lease !== undefined && lease.until > now() ? lease : undefined;
  };

  return {
    ownerOf: (shardId, count) => live(keyOf(shardId, count))?.owner,
    leasesFor(instanceId, leaseMs) {
      return {
        shared: true,
        async agreeCount(proposed) {
          if (agreed === undefined || agreed.until <= now()) agreed = { count: proposed, until: 0 };
          agreed.until = now() + leaseMs;
          return agreed.count;
        },
        async raiseCount(proposed) {
          if (agreed === undefined || agreed.until <= now() || agreed.count < proposed)
            agreed = { count: proposed, until: 0 };
          agreed.until = now() + leaseMs;
          return agreed.count;
        },
        async beat() {
          instances.set(instanceId, now());
          for (const [id, at] of instances) if (at <= now() - leaseMs) instances.delete(id);
          return Math.max(1, instances.size);
        },
        async tryAcquire(shardId, count) {
          const key = keyOf(shardId, count);
          if (live(key) !== undefined) return false;
          leases.set(key, { owner: instanceId, until: now() + leaseMs });
          return true;
        },
        async renew(shardIds, count) {
          const lost: number[] = [];
          for (const shardId of shardIds) {
            const key = keyOf(shardId, count);
            const lease = live(key);
            if (lease === undefined || lease.owner === instanceId)
              leases.set(key, { owner: instanceId, until: now() + leaseMs });
            else lost.push(shardId);
          }
          return lost;
        },
        async release(shardId, count) {
          const key = keyOf(shardId, count);
          if (live(key)?.owner === instanceId) leases.delete(key);
        },
        async leave() {
          instances.delete(instanceId);
        },
      };
    },
  };
}
