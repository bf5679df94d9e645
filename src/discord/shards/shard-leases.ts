/**
 * Which instance runs which gateway shard. With Redis, each shard is a lease key holding the
 * owner's id with an expiry; the owner renews it on every beat, so a crashed instance's
 * shards fall free once its leases expire and the others take them. Instances also beat into
 * a sorted set so each can work out its fair share (shards / live instances). Alone (no
 * Redis), the one instance holds every shard.
 */
import type { RedisClientType } from '@keyv/redis';

export interface ShardLeases {
  /** Whether other instances may exist (leases in Redis) or this one runs every shard. */
  readonly shared: boolean;
  /** The shard count every instance uses: the first instance's proposal stands while any instance lives. */
  agreeCount(proposed: number): Promise<number>;
  /**
   * Raises the agreed count to `proposed` when it is higher (Discord recommends more shards as
   * the bot grows; a count never shrinks while instances run); returns the count now agreed.
   */
  raiseCount(proposed: number): Promise<number>;
  /** Announces this instance; returns how many instances are alive, itself included. */
  beat(): Promise<number>;
  /** Takes a free shard; false when another instance holds it. */
  tryAcquire(shardId: number, count: number): Promise<boolean>;
  /** Extends this instance's leases (retaking lapsed ones nobody took); returns the ids another instance holds. */
  renew(shardIds: readonly number[], count: number): Promise<number[]>;
  /** Gives a shard up at once (only if this instance still holds it). */
  release(shardId: number, count: number): Promise<void>;
  /** Leaves the instance set (a clean stop). */
  leave(): Promise<void>;
}

export interface RedisShardLeasesOptions {
  client: RedisClientType;
  /** The store's key prefix, so deployments on one Redis do not mix. */
  prefix: string;
  instanceId: string;
  /** How long a lease and an instance's beat count without renewal. */
  leaseMs: number;
  now?: () => number;
}

// A lease that lapsed while this instance was too busy to renew it (and nobody took it) is
// taken again rather than given up: the shard is still running here.
const RENEW_SCRIPT = `
local owner = redis.call('GET', KEYS[1])
if owner == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
if not owner then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;

const RAISE_COUNT_SCRIPT = `
local current = tonumber(redis.call('GET', KEYS[1]))
if current == nil or current < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return tonumber(ARGV[1])
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return current`;

const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

export function createRedisShardLeases(options: RedisShardLeasesOptions): ShardLeases {
  const { client, prefix, instanceId, leaseMs } = options;
  const now = options.now ?? Date.now;
  const instancesKey = `${prefix}-shard-instances`;
  const countKey = `${prefix}-shard-count`;
  const leaseKey = (shardId: number, count: number): string => `${prefix}-shard-lease:${count}:${shardId}`;
  return {
    shared: true,
    async agreeCount(proposed) {
      await client.set(countKey, String(proposed), {
        condition: 'NX',
        expiration: { type: 'PX', value: leaseMs },
      });
      const agreed = Number(await client.get(countKey));
      // Kept alive by whoever runs shards; once every instance is gone, the next start proposes anew.
      await client.pExpire(countKey, leaseMs);
      return Number.isInteger(agreed) && agreed > 0 ? agreed : proposed;
    },
    async raiseCount(proposed) {
      const agreed = await client.eval(RAISE_COUNT_SCRIPT, {
        keys: [countKey],
        arguments: [String(proposed), String(leaseMs)],
      });
      return Number(agreed);
    },
    async beat() {
      const at = now();
      const replies = await client
        .multi()
        .zAdd(instancesKey, { score: at, value: instanceId })
        .zRemRangeByScore(instancesKey, '-inf', at - leaseMs)
        .zCard(instancesKey)
        .pExpire(instancesKey, 2 * leaseMs)
        .exec();
      return Math.max(1, Number(replies[2] ?? 1));
    },
    async tryAcquire(shardId, count) {
      const reply = await client.set(leaseKey(shardId, count), instanceId, {
        condition: 'NX',
        expiration: { type: 'PX', value: leaseMs },
      });
      return reply === 'OK';
    },
    async renew(shardIds, count) {
      const lost: number[] = [];
      for (const shardId of shardIds) {
        const renewed = await client.eval(RENEW_SCRIPT, {
          keys: [leaseKey(shardId, count)],
          arguments: [instanceId, String(leaseMs)],
        });
        if (Number(renewed) !== 1) lost.push(shardId);
      }
      return lost;
    },
    async release(shardId, count) {
      await client.eval(RELEASE_SCRIPT, { keys: [leaseKey(shardId, count)], arguments: [instanceId] });
    },
    async leave() {
      await client.zRem(instancesKey, instanceId);
    },
  };
}

/** One instance and no Redis: every shard is this instance's. */
export function createLocalShardLeases(): ShardLeases {
  return {
    shared: false,
    agreeCount: async (proposed) => proposed,
    raiseCount: async (proposed) => proposed,
    beat: async () => 1,
    tryAcquire: async () => true,
    renew: async () => [],
    release: async () => undefined,
    leave: async () => undefined,
  };
}
