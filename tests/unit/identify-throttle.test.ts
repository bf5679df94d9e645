// Discord's identify rule: one IDENTIFY per max_concurrency bucket (shard_id % max_concurrency)
// per window, for the whole bot. Two instances' throttlers share the turns: through the real
// Redis where REDIS_URL is set (a prefix per test), else through one process's local turns.
import { randomUUID } from 'node:crypto';
import { createClient, type RedisClientType } from '@keyv/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createIdentifyThrottle,
  createLocalIdentifySlots,
  createRedisIdentifySlots,
  type IdentifySlots,
} from '../../src/discord/shards/identify-throttle.ts';

const INTERVAL_MS = 150;
const redisUrl = process.env.REDIS_URL;
let redis: RedisClientType | undefined;

beforeAll(async () => {
  if (!redisUrl) return;
  redis = createClient({ url: redisUrl }) as RedisClientType;
  await redis.connect();
});
afterAll(async () => {
  await redis?.close();
});

const backends: { name: string; slots: () => { a: IdentifySlots; b: IdentifySlots } }[] = [
  {
    name: 'local turns',
    slots: () => {
      const shared = createLocalIdentifySlots();
      return { a: shared, b: shared };
    },
  },
];
if (redisUrl)
  backends.push({
    name: 'Redis turns',
    slots: () => {
      const prefix = `test-${randomUUID()}`;
      const client = redis as RedisClientType;
      return { a: createRedisIdentifySlots(client, prefix), b: createRedisIdentifySlots(client, prefix) };
    },
  });

describe.each(backends)('identify buckets with $name', ({ slots }) => {
  it('lets each bucket identify once per window across instances; buckets do not wait on each other', async () => {
    const { a, b } = slots();
    const asked: { bucket: number; wait: number }[] = [];
    const recorded = (turns: IdentifySlots): IdentifySlots => ({
      async take(bucket, windowMs) {
        const wait = await turns.take(bucket, windowMs);
        asked.push({ bucket, wait });
        return wait;
      },
    });
    const throttles = [a, b].map((turns) =>
      createIdentifyThrottle({ maxConcurrency: 2, intervalMs: INTERVAL_MS, slots: recorded(turns) }),
    );
    const signal = new AbortController().signal;
    const began = Date.now();
    // Shards 0..5 of one bot, split over two instances: buckets 0 (0, 2, 4) and 1 (1, 3, 5).
    const identified = await Promise.all(
      [0, 1, 2, 3, 4, 5].map(async (shardId) => {
        await throttles[shardId % 3 === 0 ? 0 : 1]?.waitForIdentify(shardId, signal);
        return { shardId, bucket: shardId % 2, at: Date.now() - began };
      }),
    );
    for (const bucket of [0, 1]) {
      const times = identified
        .filter((entry) => entry.bucket === bucket)
        .map((entry) => entry.at)
        .sort((x, y) => x - y);
      expect(times).toHaveLength(3);
      // A turn lasts the window: the next identify in the bucket comes no sooner.
      for (let i = 1; i < times.length; i++)
        expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(INTERVAL_MS - 2);
    }
    // Each bucket's first ask was granted: neither bucket waited for the other.
    for (const bucket of [0, 1]) expect(asked.find((ask) => ask.bucket === bucket)?.wait).toBe(0);
  });

  it('gives up waiting when the shard is stopped', async () => {
    const { a } = slots();
    const throttle = createIdentifyThrottle({ maxConcurrency: 1, intervalMs: 60_000, slots: a });
    await throttle.waitForIdentify(0, new AbortController().signal);
    const stop = new AbortController();
    const waiting = throttle.waitForIdentify(1, stop.signal);
    stop.abort();
    await expect(waiting).rejects.toThrow();
  });
});
