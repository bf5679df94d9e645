import { z } from 'zod';

/**
 * How a source has been doing: consecutive failures, when it may be tried again, whether it has
 * been switched off and why, and the validators for the next conditional GET. Pure data, so it
 * can live in any store and `/sources list` can show the reason a source is disabled.
 */
export interface SourceHealth {
  /** Consecutive failures since the last success. */
  failures: number;
  /** The last failure's message, presentable to users (a FetchError message, for instance). */
  lastError?: string;
  /** Epoch ms before which the source is not tried again. */
  nextAttemptAt?: number;
  /** Set once the source failed `maxFailures` times in a row; only an admin turns it back on. */
  disabled?: { reason: string; at: number };
  etag?: string;
  lastModified?: string;
  /** Epoch ms of the last successful fetch (including a 304). */
  lastSuccessAt?: number;
}

// exactOptional: the parsed value is a SourceHealth under exactOptionalPropertyTypes.
export const sourceHealthSchema: z.ZodType<SourceHealth> = z.object({
  failures: z.number().int().min(0),
  lastError: z.string().exactOptional(),
  nextAttemptAt: z.number().exactOptional(),
  disabled: z.object({ reason: z.string(), at: z.number() }).exactOptional(),
  etag: z.string().exactOptional(),
  lastModified: z.string().exactOptional(),
  lastSuccessAt: z.number().exactOptional(),
});

/** Backoff settings; every field has a default. */
export interface BackoffPolicy {
  /** Delay after the first failure. Default 1 minute. */
  baseDelayMs?: number;
  /** The delay doubles per failure up to this. Default 6 hours. */
  maxDelayMs?: number;
  /** Consecutive failures that disable the source. Default 8. */
  maxFailures?: number;
  /**
   * Spreads retries so sources that failed together do not retry together: receives the computed
   * delay, returns the one to use. Default: none (the delay as computed), which keeps tests exact.
   */
  jitter?: (delayMs: number) => number;
}

export const defaultBackoffPolicy = {
  baseDelayMs: 60_000,
  maxDelayMs: 6 * 60 * 60 * 1000,
  maxFailures: 8,
} as const;

/** A health record for a source never fetched: due now. */
export function initialSourceHealth(): SourceHealth {
  return { failures: 0 };
}

/** The delay before retrying after `failures` consecutive failures (1 → base, then doubling). */
export function backoffDelay(failures: number, policy: BackoffPolicy = {}): number {
  const base = policy.baseDelayMs ?? defaultBackoffPolicy.baseDelayMs;
  const max = policy.maxDelayMs ?? defaultBackoffPolicy.maxDelayMs;
  const delay = Math.min(max, base * 2 ** Math.max(0, failures - 1));
  return Math.max(0, Math.round(policy.jitter ? policy.jitter(delay) : delay));
}

/** A jitter that picks uniformly within ±`fraction` of the delay; pass a seeded `random` in tests. */
export function proportionalJitter(
  fraction: number,
  random: () => number = Math.random,
): (delayMs: number) => number {
  return (delayMs) => Math.round(delayMs * (1 - fraction + 2 * fraction * random()));
}

/** Records one failed attempt: pushes the next attempt back and disables after too many. */
export function recordFailure(
  health: SourceHealth,
  message: string,
  now: number,
  policy: BackoffPolicy = {},
): SourceHealth {
  const failures = health.failures + 1;
  const maxFailures = policy.maxFailures ?? defaultBackoffPolicy.maxFailures;
  const next: SourceHealth = {
    ...health,
    failures,
    lastError: message,
    nextAttemptAt: now + backoffDelay(failures, policy),
  };
  if (failures >= maxFailures && health.disabled === undefined) {
    next.disabled = {
      reason: `Disabled after ${failures} failures in a row; last error: ${message}`,
      at: now,
    };
  }
  return next;
}

/**
 * Records a successful fetch (a 304 counts): clears the failure state and keeps the newest
 * validators. Validators not given are kept, since a 304 often omits them.
 */
export function recordSuccess(
  health: SourceHealth,
  now: number,
  validators: { etag?: string; lastModified?: string } = {},
): SourceHealth {
  const next: SourceHealth = { failures: 0, lastSuccessAt: now };
  const etag = validators.etag ?? health.etag;
  const lastModified = validators.lastModified ?? health.lastModified;
  if (etag !== undefined) next.etag = etag;
  if (lastModified !== undefined) next.lastModified = lastModified;
  return next;
}

/** Turns a disabled source back on (an admin re-adding or re-enabling it), due immediately. */
export function reenableSource(health: SourceHealth): SourceHealth {
  const { disabled: _disabled, nextAttemptAt: _next, ...rest } = health;
  return { ...rest, failures: 0 };
}

/** True when the source is enabled and its backoff has passed. */
export function isDue(health: SourceHealth, now: number): boolean {
  if (health.disabled !== undefined) return false;
  return health.nextAttemptAt === undefined || now >= health.nextAttemptAt;
}
