// Instances sharing one bot token on one Redis split Discord's global budget: each paces at
// the total over the instances alive, one that stops hands its share back, and one that died
// without a word drops out after three missed beats.
import { randomUUID } from 'node:crypto';
import { createClient, type RedisClientType } from '@keyv/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPacer } from '../../src/delivery/pacer.ts';
import { createPacerShare } from '../../src/delivery/pacer-share.ts';
import { createLogger } from '../../src/logger.ts';

const redisUrl = process.env.REDIS_URL;

describe.runIf(redisUrl)('the Discord budget shared through Redis', () => {
  let client: RedisClientType;
  beforeAll(async () => {
    client = createClient({ url: redisUrl ?? '' }) as RedisClientType;
    await client.connect();
  });
  afterAll(async () => {
    await client.close();
  });

  it('splits the budget between live instances and gives it back when one stops or dies', async () => {
    const key = `test-${randomUUID()}-discord-pacer`;
    let clock = 1_000_000;
    const instance = (name: string) => {
      const pacer = createPacer({ perSecond: 48 });
      const share = createPacerShare({
        client,
        key,
        instanceId: name,
        pacer,
        totalPerSecond: 48,
        log: createLogger('silent'),
        beatMs: 5000,
        now: () => clock,
      });
      return { pacer, share };
    };
    const a = instance('a');
    const b = instance('b');
    const c = instance('c');
    try {
      expect(await a.share.beat()).toBe(1);
      expect(a.pacer.perSecond()).toBe(48);
      await b.share.beat();
      await c.share.beat();
      expect(await a.share.beat()).toBe(3);
      expect(a.pacer.perSecond()).toBe(16);
      expect(c.pacer.perSecond()).toBe(16);

      // b shuts down cleanly: the others take its share on their next beat.
      await b.share.stop();
      expect(await a.share.beat()).toBe(2);
      expect(a.pacer.perSecond()).toBe(24);

      // c is killed: after three missed beats it no longer counts.
      clock += 10_000;
      expect(await a.share.beat()).toBe(2);
      clock += 6_000;
      expect(await a.share.beat()).toBe(1);
      expect(a.pacer.perSecond()).toBe(48);
    } finally {
      await client.del(key);
    }
  });
});
