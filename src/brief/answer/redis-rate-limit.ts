/**
 * The /ask limits kept in Redis, so several instances answering for one bot count one user's
 * (and one server's) questions together. The same sliding window log as the in-memory limiter:
 * a sorted set of question times per key, trimmed, counted and added to in one Lua script, so
 * two instances cannot both let in the question that fills the window.
 */
import { randomUUID } from 'node:crypto';
import type { RedisClientType } from '@keyv/redis';
import { settleWithin } from '../../store/settle-within.ts';
import type { RateDecision, RateLimiter, RateLimiterOptions } from './rate-limit.ts';

// KEYS: the user's log, then the server's when there is one.
// ARGV: now, user limit, user window, server limit, server window, a unique member.
const CHECK = `
local now = tonumber(ARGV[1])
local function wait(key, limit, window)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local n = redis.call('ZCARD', key)
  if n < limit then return 0 end
  local blocking = redis.call('ZRANGE', key, n - limit, n - limit, 'WITHSCORES')
  return math.max(1, tonumber(blocking[2]) + window - now)
end
local w = wait(KEYS[1], tonumber(ARGV[2]), tonumber(ARGV[3]))
if #KEYS > 1 then w = math.max(w, wait(KEYS[2], tonumber(ARGV[4]), tonumber(ARGV[5]))) end
if w > 0 then return w end
redis.call('ZADD', KEYS[1], now, ARGV[6])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
if #KEYS > 1 then
  redis.call('ZADD', KEYS[2], now, ARGV[6])
  redis.call('PEXPIRE', KEYS[2], ARGV[5])
end
return 0
`;

export interface RedisRateLimiterOptions extends RateLimiterOptions {
  client: RedisClientType;
  prefix: string;
  /** How long a check may wait for Redis; default 2 s. */
  timeoutMs?: number;
  /** Told when Redis did not answer: the question is then let through. */
  onUnavailable?: (error: unknown) => void;
}

export function createRedisRateLimiter(options: RedisRateLimiterOptions): RateLimiter {
  const { client, prefix, perUser, perGuild } = options;
  return {
    async check(userId, guildId): Promise<RateDecision> {
      const keys = [`${prefix}-ask-rate:user:${userId}`];
      if (perGuild && guildId !== undefined) keys.push(`${prefix}-ask-rate:guild:${guildId}`);
      const run = client.eval(CHECK, {
        keys,
        arguments: [
          String(options.now()),
          String(perUser.limit),
          String(perUser.windowMs),
          String(perGuild?.limit ?? 0),
          String(perGuild?.windowMs ?? 0),
          randomUUID(),
        ],
      });
      let wait: number;
      try {
        wait = Number(
          await settleWithin(
            run,
            options.timeoutMs ?? 2_000,
            'Redis did not answer the /ask rate check',
            () => undefined,
          ),
        );
      } catch (error) {
        // Answering only reads: a Redis outage should not silence /ask, so the limit is waived.
        run.catch(() => undefined);
        options.onUnavailable?.(error);
        return { ok: true };
      }
      return wait > 0 ? { ok: false, retryAfterMs: wait } : { ok: true };
    },
  };
}
