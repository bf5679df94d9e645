import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  initialSourceHealth,
  isDue,
  proportionalJitter,
  reenableSource,
  recordFailure,
  recordSuccess,
  sourceHealthSchema,
} from '../../src/news/source-health.ts';
import type { SourceHealth } from '../../src/news/source-health.ts';

const minute = 60_000;
const hour = 60 * minute;
const t0 = Date.UTC(2026, 2, 3, 10, 0, 0);

function failTimes(times: number, policy = {}): SourceHealth {
  let health = initialSourceHealth();
  for (let i = 0; i < times; i += 1) health = recordFailure(health, `failure ${i + 1}`, t0, policy);
  return health;
}

describe('source health backoff', () => {
  it('a new source is due at once', () => {
    expect(isDue(initialSourceHealth(), t0)).toBe(true);
  });

  it('waits one minute after the first failure, doubling each time', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n))).toEqual([
      minute,
      2 * minute,
      4 * minute,
      8 * minute,
      16 * minute,
    ]);
    const health = recordFailure(initialSourceHealth(), 'example.com answered HTTP 503.', t0);
    expect(health).toMatchObject({
      failures: 1,
      lastError: 'example.com answered HTTP 503.',
      nextAttemptAt: t0 + minute,
    });
    expect(isDue(health, t0 + minute - 1)).toBe(false);
    expect(isDue(health, t0 + minute)).toBe(true);
  });

  it('never waits longer than the maximum', () => {
    expect(backoffDelay(30)).toBe(6 * hour);
    expect(backoffDelay(200)).toBe(6 * hour);
    expect(backoffDelay(4, { baseDelayMs: 1000, maxDelayMs: 5000 })).toBe(5000);
  });

  it('applies an injected jitter to the delay', () => {
    const health = recordFailure(initialSourceHealth(), 'x', t0, { jitter: (d) => d / 2 });
    expect(health.nextAttemptAt).toBe(t0 + minute / 2);
    const low = proportionalJitter(0.2, () => 0);
    const high = proportionalJitter(0.2, () => 1);
    expect([low(1000), high(1000)]).toEqual([800, 1200]);
  });

  it('disables the source after eight failures in a row, keeping the reason', () => {
    expect(failTimes(7).disabled).toBeUndefined();
    const health = failTimes(8);
    expect(health.disabled).toEqual({
      reason: 'Disabled after 8 failures in a row; last error: failure 8',
      at: t0,
    });
    expect(isDue(health, t0 + 365 * 24 * hour)).toBe(false);
  });

  it('honours a custom failure limit and keeps the first disable time', () => {
    const health = failTimes(3, { maxFailures: 3 });
    expect(health.disabled?.reason).toContain('3 failures');
    const later = recordFailure(health, 'again', t0 + hour, { maxFailures: 3 });
    expect(later.disabled).toEqual(health.disabled);
  });

  it('a success clears failures and keeps or updates the conditional GET validators', () => {
    const failed = recordFailure(
      { failures: 2, etag: '"old"', lastModified: 'Mon, 02 Mar 2026 10:00:00 GMT' },
      'boom',
      t0,
    );
    const notModified = recordSuccess(failed, t0 + hour);
    expect(notModified).toEqual({
      failures: 0,
      lastSuccessAt: t0 + hour,
      etag: '"old"',
      lastModified: 'Mon, 02 Mar 2026 10:00:00 GMT',
    });
    expect(isDue(notModified, t0 + hour)).toBe(true);
    expect(recordSuccess(failed, t0, { etag: '"new"' }).etag).toBe('"new"');
  });

  it('re-enabling a disabled source makes it due again with a clean count', () => {
    const health = reenableSource(failTimes(8));
    expect(health.failures).toBe(0);
    expect(health.disabled).toBeUndefined();
    expect(health.lastError).toBe('failure 8');
    expect(isDue(health, t0)).toBe(true);
  });

  it('the schema accepts what the functions produce and rejects damaged records', () => {
    expect(sourceHealthSchema.parse(failTimes(8))).toEqual(failTimes(8));
    expect(sourceHealthSchema.safeParse({ failures: -1 }).success).toBe(false);
    expect(sourceHealthSchema.safeParse({ failures: 1, disabled: { reason: 'x' } }).success).toBe(false);
  });
});
