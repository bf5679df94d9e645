/**
 * Per-user and per-guild limits for /ask: a sliding window log per key. In memory for one
 * process; with Redis (several instances answering for one bot) the log lives there, so the
 * limits hold across instances (see redis-rate-limit.ts). A question refused by either limit
 * consumes neither, so a refused retry does not push the wait further out.
 */

export interface RateRule {
  /** Questions allowed within the window. */
  limit: number;
  windowMs: number;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterMs: number };

export interface RateLimiter {
  /** Records the question when allowed; otherwise says how long until one more would be. */
  check(userId: string, guildId?: string): Promise<RateDecision>;
}

export interface RateLimiterOptions {
  perUser: RateRule;
  perGuild?: RateRule;
  now: () => number;
}

interface Window {
  rule: RateRule;
  log: Map<string, number[]>;
}

/** Drops timestamps older than the window; returns what is left (oldest first). */
function live(window: Window, key: string, at: number): number[] {
  const kept = (window.log.get(key) ?? []).filter((t) => t > at - window.rule.windowMs);
  if (kept.length === 0) window.log.delete(key);
  else window.log.set(key, kept);
  return kept;
}

function waitFor(window: Window, stamps: readonly number[], at: number): number {
  if (stamps.length < window.rule.limit) return 0;
  // The oldest stamp that must expire before one more fits.
  const blocking = stamps[stamps.length - window.rule.limit] ?? at;
  return Math.max(1, blocking + window.rule.windowMs - at);
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const user: Window = { rule: options.perUser, log: new Map() };
  const guild: Window | undefined = options.perGuild ? { rule: options.perGuild, log: new Map() } : undefined;
  let lastSweep = options.now();

  // Keys of people who asked once and left would otherwise stay forever.
  function sweep(at: number): void {
    const longest = Math.max(user.rule.windowMs, guild?.rule.windowMs ?? 0);
    if (at - lastSweep < longest) return;
    lastSweep = at;
    for (const w of guild ? [user, guild] : [user]) for (const key of [...w.log.keys()]) live(w, key, at);
  }

  return {
    async check(userId, guildId) {
      const at = options.now();
      sweep(at);
      const userStamps = live(user, userId, at);
      const guildStamps = guild && guildId !== undefined ? live(guild, guildId, at) : undefined;
      const wait = Math.max(
        waitFor(user, userStamps, at),
        guild && guildStamps ? waitFor(guild, guildStamps, at) : 0,
      );
      if (wait > 0) return { ok: false, retryAfterMs: wait };
      user.log.set(userId, [...userStamps, at]);
      if (guild && guildId !== undefined && guildStamps) guild.log.set(guildId, [...guildStamps, at]);
      return { ok: true };
    },
  };
}
