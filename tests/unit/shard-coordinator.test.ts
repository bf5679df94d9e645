// The shard lease coordinator with instances in one process: leases in the real Redis where
// REDIS_URL is set (each test under a prefix of its own), else in the in-memory board that
// plays the same rules. Shards are a fake pool that records who runs what, so "never two
// owners" is checked on every start. Waits are for events (beats, starts), with a hang guard.
import { randomUUID } from 'node:crypto';
import { createClient, type RedisClientType } from '@keyv/redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayInfo } from '../../src/discord/shards/gateway-info.ts';
import {
  createShardCoordinator,
  type ShardCoordinator,
  type ShardSetting,
} from '../../src/discord/shards/shard-coordinator.ts';
import { createRedisShardLeases, type ShardLeases } from '../../src/discord/shards/shard-leases.ts';
import type { ShardPool } from '../../src/discord/shards/shard-pool.ts';
import { createLogger } from '../../src/logger.ts';
import { createMemoryLeaseBoard } from '../support/memory-shard-leases.ts';
import { waitFor } from '../support/wait.ts';

/** Long enough that a loaded machine renews in time (a lapse would be a second owner for a beat). */
const LEASE_MS = 1200;
const RENEW_MS = LEASE_MS / 3;

/** Who runs which shard across the instances of a test; a second runner is recorded. */
function createShardWorld() {
  const running = new Map<string, string>();
  const doubleOwners: string[] = [];
  const dead = new Set<string>();
  const key = (shardId: number, count: number): string => `${shardId}/${count}`;
  return {
    doubleOwners,
    /** A killed instance's sessions end with it. */
    kill(instance: string) {
      dead.add(instance);
      for (const [shard, owner] of running) if (owner === instance) running.delete(shard);
    },
    held(instance: string): number[] {
      return [...running]
        .filter(([, owner]) => owner === instance)
        .map(([shard]) => Number(shard.split('/')[0]))
        .sort((a, b) => a - b);
    },
    runners: () => running.size,
    pool(instance: string): ShardPool & { starts: { shardId: number; count: number; at: number }[] } {
      const mine = new Map<number, number>();
      const starts: { shardId: number; count: number; at: number }[] = [];
      return {
        starts,
        held: () => [...mine.keys()].sort((a, b) => a - b),
        async start(shardId, count) {
          mine.set(shardId, count);
          starts.push({ shardId, count, at: Date.now() });
          if (dead.has(instance)) return;
          const owner = running.get(key(shardId, count));
          if (owner !== undefined && owner !== instance)
            doubleOwners.push(`shard ${shardId}/${count}: ${owner} and ${instance}`);
          running.set(key(shardId, count), instance);
        },
        async stop(shardId) {
          const count = mine.get(shardId);
          mine.delete(shardId);
          if (count !== undefined && running.get(key(shardId, count)) === instance)
            running.delete(key(shardId, count));
        },
        async stopAll() {
          for (const shardId of [...mine.keys()]) await this.stop(shardId);
        },
        clientFor: () => undefined,
        clients: () => [],
        shards: () => [],
      };
    },
  };
}

/** Leases that fail from the moment the instance is "killed": it never renews or frees again. */
function killable(leases: ShardLeases): {
  leases: ShardLeases;
  kill(): void;
  beats(): number;
  lastRenewAt(): number;
} {
  let killed = false;
  let beats = 0;
  let lastRenewAt = 0;
  const guard =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (killed) throw new Error('instance killed');
      return call(...args);
    };
  return {
    kill: () => {
      killed = true;
    },
    beats: () => beats,
    lastRenewAt: () => lastRenewAt,
    leases: {
      shared: leases.shared,
      agreeCount: guard((n) => leases.agreeCount(n)),
      raiseCount: guard((n) => leases.raiseCount(n)),
      beat: guard(async () => {
        beats += 1;
        return leases.beat();
      }),
      tryAcquire: guard((id, n) => leases.tryAcquire(id, n)),
      renew: guard(async (ids, n) => {
        // Taken before the call: the store extends the leases at some moment after it.
        lastRenewAt = Date.now();
        return leases.renew(ids, n);
      }),
      release: guard((id, n) => leases.release(id, n)),
      leave: guard(() => leases.leave()),
    },
  };
}

function gatewayInfo(overrides: Partial<GatewayInfo> = {}): GatewayInfo {
  return { recommendedShards: 1, sessionsRemaining: 1000, resetAfterMs: 0, maxConcurrency: 1, ...overrides };
}

interface Backend {
  name: string;
  leasesFor(instanceId: string): ShardLeases;
}

const redisUrl = process.env.REDIS_URL;
const backends: { name: string; make: () => Promise<Backend> }[] = [
  {
    name: 'in memory',
    make: async () => {
      const board = createMemoryLeaseBoard();
      return { name: 'memory', leasesFor: (id) => board.leasesFor(id, LEASE_MS) };
    },
  },
];
let redis: RedisClientType | undefined;
if (redisUrl)
  backends.push({
    name: 'in Redis',
    make: async () => {
      const prefix = `test-${randomUUID()}`;
      const client = redis as RedisClientType;
      return {
        name: 'redis',
        leasesFor: (instanceId) => createRedisShardLeases({ client, prefix, instanceId, leaseMs: LEASE_MS }),
      };
    },
  });

beforeAll(async () => {
  if (!redisUrl) return;
  redis = createClient({ url: redisUrl }) as RedisClientType;
  await redis.connect();
});
afterAll(async () => {
  await redis?.close();
});

describe.each(backends)('shard leases $name', ({ make }) => {
  const log = createLogger('silent');
  const started: ShardCoordinator[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((coordinator) => coordinator.stop()));
  });

  async function instances(
    count: number,
    options: {
      setting?: ShardSetting;
      gateway?: () => Promise<GatewayInfo>;
      backend?: Backend;
      world?: ReturnType<typeof createShardWorld>;
      recommendationCheckMs?: number;
    } = {},
  ) {
    const backend = options.backend ?? (await make());
    const world = options.world ?? createShardWorld();
    return {
      backend,
      world,
      list: Array.from({ length: count }, (_, i) => {
        const id = `instance-${i}-${randomUUID().slice(0, 8)}`;
        const handle = killable(backend.leasesFor(id));
        const pool = world.pool(id);
        const coordinator = createShardCoordinator({
          setting: options.setting ?? 4,
          leases: handle.leases,
          pool,
          gateway: options.gateway ?? (async () => gatewayInfo()),
          renewMs: RENEW_MS,
          ...(options.recommendationCheckMs === undefined
            ? {}
            : { recommendationCheckMs: options.recommendationCheckMs }),
          log,
        });
        started.push(coordinator);
        return { id, pool, coordinator, ...handle };
      }),
    };
  }

  it('takes every shard alone and keeps the leases through renewals past the lease time', async () => {
    const { backend, list } = await instances(1);
    const [one] = list;
    if (!one) throw new Error('no instance');
    await one.coordinator.start();
    expect(one.pool.held()).toEqual([0, 1, 2, 3]);
    // Four more beats span more than a lease time: only renewals can have kept the leases.
    const beatsAtStart = one.beats();
    await waitFor(() => one.beats() >= beatsAtStart + 4, { what: 'four more beats' });
    const other = backend.leasesFor('someone-else');
    for (const shardId of [0, 1, 2, 3]) expect(await other.tryAcquire(shardId, 4)).toBe(false);
    expect(one.pool.held()).toEqual([0, 1, 2, 3]);
  });

  it('shares the shards fairly between instances, never with two owners', async () => {
    const { world, list } = await instances(2);
    const [a, b] = list;
    if (!a || !b) throw new Error('no instances');
    await Promise.all([a.coordinator.start(), b.coordinator.start()]);
    await waitFor(() => world.held(a.id).length === 2 && world.held(b.id).length === 2, {
      what: 'two shards each',
    });
    expect([...world.held(a.id), ...world.held(b.id)].sort()).toEqual([0, 1, 2, 3]);
    expect(world.doubleOwners).toEqual([]);
  });

  it('gives a new instance its share: the first gives shards up before the newcomer runs them', async () => {
    const { world, list } = await instances(2);
    const [a, b] = list;
    if (!a || !b) throw new Error('no instances');
    await a.coordinator.start();
    expect(world.held(a.id)).toEqual([0, 1, 2, 3]);
    await b.coordinator.start();
    await waitFor(() => world.held(b.id).length === 2 && world.held(a.id).length === 2, {
      what: 'the newcomer to get two shards',
    });
    expect(world.doubleOwners).toEqual([]);
  });

  it("takes a dead instance's shards only after its leases expire", async () => {
    const { world, list } = await instances(2);
    const [a, b] = list;
    if (!a || !b) throw new Error('no instances');
    await Promise.all([a.coordinator.start(), b.coordinator.start()]);
    await waitFor(() => world.held(a.id).length === 2 && world.held(b.id).length === 2, {
      what: 'two shards each',
    });
    const orphaned = world.held(a.id);
    a.kill();
    world.kill(a.id);
    await waitFor(() => world.held(b.id).length === 4, { what: "the survivor to run the dead one's shards" });
    const takeovers = b.pool.starts.filter((start) => orphaned.includes(start.shardId));
    expect(takeovers.map((start) => start.shardId).sort()).toEqual(orphaned);
    // Not before the last renewal's lease ran out (a few ms for the store's clock resolution).
    for (const start of takeovers) expect(start.at).toBeGreaterThanOrEqual(a.lastRenewAt() + LEASE_MS - 5);
    expect(world.doubleOwners).toEqual([]);
  });

  it('starts no shard while the session start limit is spent, nor asks again before it resets', async () => {
    let asked = 0;
    const { list } = await instances(1, {
      gateway: async () => {
        asked += 1;
        return gatewayInfo({ sessionsRemaining: 0, resetAfterMs: 3_600_000 });
      },
    });
    const [one] = list;
    if (!one) throw new Error('no instance');
    await one.coordinator.start();
    const askedAfterStart = asked;
    const beats = one.beats();
    await waitFor(() => one.beats() >= beats + 3, { what: 'three more beats' });
    expect(one.pool.starts).toEqual([]);
    expect(asked).toBe(askedAfterStart);
  });

  it('starts only as many shards as sessions remain; the rest when more are allowed', async () => {
    let remaining = 1;
    const { list } = await instances(1, {
      gateway: async () => gatewayInfo({ sessionsRemaining: remaining, resetAfterMs: 1 }),
    });
    const [one] = list;
    if (!one) throw new Error('no instance');
    await one.coordinator.start();
    expect(one.pool.held()).toHaveLength(1);
    // Spent: the beats that follow start nothing until Discord allows more.
    remaining = 0;
    const beats = one.beats();
    await waitFor(() => one.beats() >= beats + 2, { what: 'two more beats' });
    expect(one.pool.held()).toHaveLength(1);
    remaining = 10;
    await waitFor(() => one.pool.held().length === 4, { what: 'the other shards to start' });
  });

  it('moves every instance to a larger recommended count while running', async () => {
    let recommended = 2;
    const { backend, world, list } = await instances(2, {
      setting: 'auto',
      gateway: async () => gatewayInfo({ recommendedShards: recommended }),
      recommendationCheckMs: RENEW_MS,
    });
    const [a, b] = list;
    if (!a || !b) throw new Error('no instances');
    await Promise.all([a.coordinator.start(), b.coordinator.start()]);
    await waitFor(() => world.held(a.id).length === 1 && world.held(b.id).length === 1, {
      what: 'one shard each',
    });
    recommended = 4;
    const onNewCount = (pool: typeof a.pool) => pool.starts.filter((start) => start.count === 4).length;
    await waitFor(
      () =>
        world.held(a.id).length === 2 &&
        world.held(b.id).length === 2 &&
        onNewCount(a.pool) + onNewCount(b.pool) === 4,
      { what: 'two shards each of four' },
    );
    // The old count's sessions are gone and their leases free.
    expect(world.runners()).toBe(4);
    const other = backend.leasesFor('someone-else');
    for (const shardId of [0, 1]) expect(await other.tryAcquire(shardId, 2)).toBe(true);
    expect(world.doubleOwners).toEqual([]);
  });

  it('keeps renewing when Discord cannot be asked for its recommendation', async () => {
    let reachable = true;
    const { backend, list } = await instances(1, {
      setting: 'auto',
      gateway: async () => {
        if (!reachable) throw new Error('503 from /gateway/bot');
        return gatewayInfo({ recommendedShards: 2 });
      },
      recommendationCheckMs: 1,
    });
    const [one] = list;
    if (!one) throw new Error('no instance');
    await one.coordinator.start();
    reachable = false;
    const beats = one.beats();
    await waitFor(() => one.beats() >= beats + 4, { what: 'four more beats' });
    const other = backend.leasesFor('someone-else');
    for (const shardId of [0, 1]) expect(await other.tryAcquire(shardId, 2)).toBe(false);
    expect(one.pool.held()).toEqual([0, 1]);
  });

  it('keeps a fixed count whatever Discord recommends', async () => {
    const { list } = await instances(1, {
      setting: 2,
      gateway: async () => gatewayInfo({ recommendedShards: 8 }),
      recommendationCheckMs: 1,
    });
    const [one] = list;
    if (!one) throw new Error('no instance');
    await one.coordinator.start();
    const beats = one.beats();
    await waitFor(() => one.beats() >= beats + 2, { what: 'two more beats' });
    expect(one.pool.starts.map((start) => start.count)).toEqual([2, 2]);
  });
});
