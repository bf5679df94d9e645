// The /ask limits, in memory and (when REDIS_URL is set) in Redis, where several instances
// answering for one bot share them: the same behaviour from both.
import { randomUUID } from 'node:crypto';
import { createClient, type RedisClientType } from '@keyv/redis';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createRateLimiter,
  type RateLimiter,
  type RateLimiterOptions,
} from '../../src/brief/answer/rate-limit.ts';
import { createRedisRateLimiter } from '../../src/brief/answer/redis-rate-limit.ts';

const redisUrl = process.env.REDIS_URL;
let client: RedisClientType | undefined;
afterAll(async () => {
  await client?.close();
});

async function redisClient(): Promise<RedisClientType> {
  if (client === undefined) {
    client = createClient({ url: redisUrl ?? '' }) as RedisClientType;
    await client.connect();
  }
  return client;
}

async function redisLimiter(options: RateLimiterOptions): Promise<RateLimiter> {
  return createRedisRateLimiter({ ...options, client: await redisClient(), prefix: `test-${randomUUID()}` });
}

const limiters: { name: string; make: (options: RateLimiterOptions) => Promise<RateLimiter> }[] = [
  { name: 'in memory', make: async (options) => createRateLimiter(options) },
  ...(redisUrl ? [{ name: 'in Redis', make: redisLimiter }] : []),
];

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe.each(limiters)('ask rate limiter $name', ({ make }) => {
  it('allows up to the per-user limit in a window, then says how long to wait', async () => {
    const c = clock();
    const limiter = await make({ perUser: { limit: 2, windowMs: 60_000 }, now: c.now });
    expect(await limiter.check('u1')).toEqual({ ok: true });
    c.advance(10_000);
    expect(await limiter.check('u1')).toEqual({ ok: true });
    c.advance(5_000);
    expect(await limiter.check('u1')).toEqual({ ok: false, retryAfterMs: 45_000 });
  });

  it('slides: a slot frees when the oldest question leaves the window', async () => {
    const c = clock();
    const limiter = await make({ perUser: { limit: 2, windowMs: 60_000 }, now: c.now });
    await limiter.check('u1');
    c.advance(10_000);
    await limiter.check('u1');
    c.advance(50_001);
    expect(await limiter.check('u1')).toEqual({ ok: true });
    expect(await limiter.check('u1')).toEqual({ ok: false, retryAfterMs: 9_999 });
  });

  it('counts users apart', async () => {
    const c = clock();
    const limiter = await make({ perUser: { limit: 1, windowMs: 60_000 }, now: c.now });
    expect((await limiter.check('u1')).ok).toBe(true);
    expect((await limiter.check('u2')).ok).toBe(true);
    expect((await limiter.check('u1')).ok).toBe(false);
  });

  it('limits a whole guild across its users', async () => {
    const c = clock();
    const limiter = await make({
      perUser: { limit: 5, windowMs: 60_000 },
      perGuild: { limit: 2, windowMs: 30_000 },
      now: c.now,
    });
    expect((await limiter.check('u1', 'g1')).ok).toBe(true);
    expect((await limiter.check('u2', 'g1')).ok).toBe(true);
    expect(await limiter.check('u3', 'g1')).toEqual({ ok: false, retryAfterMs: 30_000 });
    expect((await limiter.check('u3', 'g2')).ok).toBe(true);
    // Direct messages have no guild and only meet the user limit.
    expect((await limiter.check('u3')).ok).toBe(true);
  });

  it('does not count a refused question against the user', async () => {
    const c = clock();
    const limiter = await make({
      perUser: { limit: 1, windowMs: 60_000 },
      perGuild: { limit: 1, windowMs: 10_000 },
      now: c.now,
    });
    expect((await limiter.check('u1', 'g1')).ok).toBe(true);
    expect((await limiter.check('u2', 'g1')).ok).toBe(false); // guild full
    c.advance(10_000);
    expect((await limiter.check('u2', 'g1')).ok).toBe(true); // u2's refused try cost nothing
  });
});

describe.runIf(redisUrl)('ask rate limits across instances', () => {
  it("counts one reader's questions together whichever instance answers them", async () => {
    const c = clock();
    const shared = {
      perUser: { limit: 2, windowMs: 60_000 },
      perGuild: { limit: 3, windowMs: 60_000 },
      now: c.now,
      client: await redisClient(),
      prefix: `test-${randomUUID()}`,
    };
    const first = createRedisRateLimiter(shared);
    const second = createRedisRateLimiter(shared);
    expect((await first.check('u1', 'g1')).ok).toBe(true);
    expect((await second.check('u1', 'g1')).ok).toBe(true);
    expect(await first.check('u1', 'g1')).toEqual({ ok: false, retryAfterMs: 60_000 });
    expect((await second.check('u2', 'g1')).ok).toBe(true);
    expect((await first.check('u3', 'g1')).ok).toBe(false);
  });
});

describe('ask rate limits when Redis does not answer', () => {
  it('lets the question through and says why, instead of leaving the reader waiting', async () => {
    const silent = { eval: () => new Promise<never>(() => {}) } as unknown as RedisClientType;
    const problems: unknown[] = [];
    const limiter = createRedisRateLimiter({
      perUser: { limit: 1, windowMs: 60_000 },
      now: () => 0,
      client: silent,
      prefix: 'x',
      timeoutMs: 20,
      onUnavailable: (error) => problems.push(error),
    });
    expect(await limiter.check('u1')).toEqual({ ok: true });
    expect(String(problems[0])).toMatch(/did not answer/);
  });
});
