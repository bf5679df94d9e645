import { randomUUID } from 'node:crypto';
import type { RedisClientType } from '@keyv/redis';
import type { SqliteDatabase } from './sqlite-database.ts';
import type { ClaimStore } from './types.ts';

/** A claim's token: its holder's name first when one is given, then a random part. */
export function newClaimToken(holder?: string): string {
  return holder === undefined ? randomUUID() : `${holder}/${randomUUID()}`;
}

/** Claims for a single process: a map with expiry on the injected clock. */
export function createMemoryClaimStore(now: () => number): ClaimStore {
  const held = new Map<string, { token: string; expiresAt: number }>();
  return {
    async claim(key, ttlMs, holder) {
      const current = held.get(key);
      if (current && current.expiresAt > now()) return undefined;
      const token = newClaimToken(holder);
      held.set(key, { token, expiresAt: now() + ttlMs });
      return token;
    },
    async tokenOf(key) {
      const current = held.get(key);
      return current && current.expiresAt > now() ? current.token : undefined;
    },
    async release(key, token) {
      if (held.get(key)?.token !== token) return false;
      held.delete(key);
      return true;
    },
  };
}

const SWEEP_EVERY_MS = 10 * 60_000;

/**
 * Claims in the SQLite file, so they survive a restart of the one instance. The upsert only
 * replaces an expired claim, and SQLite runs one statement at a time, so it is atomic.
 */
export function createSqliteClaimStore(database: SqliteDatabase, now: () => number): ClaimStore {
  database.db.exec(
    'CREATE TABLE IF NOT EXISTS herald_claims (key TEXT PRIMARY KEY, token TEXT NOT NULL, expires_at INTEGER NOT NULL)',
  );
  const run = (sql: string, params: (string | number)[]): number =>
    Number(database.statement(sql).run(...params).changes);
  // Most keys are used once (an interaction, a day's digest): expired rows are swept now and
  // then, or the table would grow with every command ever answered.
  let lastSweep = now();
  return {
    async claim(key, ttlMs, holder) {
      if (now() - lastSweep >= SWEEP_EVERY_MS) {
        lastSweep = now();
        run('DELETE FROM herald_claims WHERE expires_at <= ?', [lastSweep]);
      }
      const token = newClaimToken(holder);
      const changes = run(
        `INSERT INTO herald_claims (key, token, expires_at) VALUES (?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET token = excluded.token, expires_at = excluded.expires_at
         WHERE herald_claims.expires_at <= ?`,
        [key, token, now() + ttlMs, now()],
      );
      return changes === 1 ? token : undefined;
    },
    async tokenOf(key) {
      const row = database
        .statement('SELECT token FROM herald_claims WHERE key = ? AND expires_at > ?')
        .get(key, now()) as { token: string } | undefined;
      return row?.token;
    },
    async release(key, token) {
      return run('DELETE FROM herald_claims WHERE key = ? AND token = ?', [key, token]) === 1;
    },
  };
}

// Delete only when the key still holds our token: another instance may have claimed it after
// ours expired, and a plain DEL would free their claim.
const RELEASE_SCRIPT =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/** Claims shared by every instance on one Redis: SET NX PX, released by compare-and-delete. */
export function createRedisClaimStore(client: RedisClientType, prefix: string): ClaimStore {
  return {
    async claim(key, ttlMs, holder) {
      const token = newClaimToken(holder);
      const result = await client.set(`${prefix}${key}`, token, {
        condition: 'NX',
        expiration: { type: 'PX', value: ttlMs },
      });
      return result === 'OK' ? token : undefined;
    },
    async tokenOf(key) {
      return (await client.get(`${prefix}${key}`)) ?? undefined;
    },
    async release(key, token) {
      const deleted = await client.eval(RELEASE_SCRIPT, { keys: [`${prefix}${key}`], arguments: [token] });
      return deleted === 1;
    },
  };
}
