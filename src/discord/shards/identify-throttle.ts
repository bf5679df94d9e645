/**
 * Discord lets each max_concurrency bucket (shard_id % max_concurrency) identify once per
 * 5 s for the whole bot, not per process: instances on one Redis take turns through a key per
 * bucket that lives for the interval. discord.js asks this throttler before every IDENTIFY.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisClientType } from '@keyv/redis';
import type { IIdentifyThrottler } from 'discord.js';

/** Discord's identify window per bucket. */
export const DISCORD_IDENTIFY_INTERVAL_MS = 5000;
/**
 * Added to the window: the IDENTIFY leaves a moment after the turn is taken, and two turns
 * taken back to back must not arrive inside one window.
 */
const MARGIN_RATIO = 0.1;

/** Turns per bucket: take() returns 0 when the turn is this caller's, else how long to wait. */
export interface IdentifySlots {
  take(bucket: number, windowMs: number): Promise<number>;
}

export function createRedisIdentifySlots(client: RedisClientType, prefix: string): IdentifySlots {
  return {
    async take(bucket, windowMs) {
      const key = `${prefix}-identify:${bucket}`;
      const taken = await client.set(key, '1', {
        condition: 'NX',
        expiration: { type: 'PX', value: windowMs },
      });
      if (taken === 'OK') return 0;
      const left = await client.pTTL(key);
      // A key without expiry cannot happen here; -2 means it just expired: try again at once.
      return Math.max(1, left);
    },
  };
}

export function createLocalIdentifySlots(now: () => number = Date.now): IdentifySlots {
  const until = new Map<number, number>();
  return {
    async take(bucket, windowMs) {
      const free = until.get(bucket) ?? 0;
      if (now() >= free) {
        until.set(bucket, now() + windowMs);
        return 0;
      }
      return free - now();
    },
  };
}

export interface IdentifyThrottleOptions {
  maxConcurrency: number;
  /** Discord's 5 s unless a local fake plays a shorter one. */
  intervalMs: number;
  slots: IdentifySlots;
}

export function createIdentifyThrottle(options: IdentifyThrottleOptions): IIdentifyThrottler {
  const windowMs = Math.ceil(options.intervalMs * (1 + MARGIN_RATIO));
  return {
    async waitForIdentify(shardId, signal) {
      const bucket = shardId % Math.max(1, options.maxConcurrency);
      for (;;) {
        signal.throwIfAborted();
        const wait = await options.slots.take(bucket, windowMs);
        if (wait === 0) return;
        await sleep(wait, undefined, { signal });
      }
    },
  };
}
