import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/brief/answer/rate-limit.ts';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('ask rate limiter', () => {
  it('allows up to the per-user limit in a window, then says how long to wait', () => {
    const c = clock();
    const limiter = createRateLimiter({ perUser: { limit: 2, windowMs: 60_000 }, now: c.now });
    expect(limiter.check('u1')).toEqual({ ok: true });
    c.advance(10_000);
    expect(limiter.check('u1')).toEqual({ ok: true });
    c.advance(5_000);
    expect(limiter.check('u1')).toEqual({ ok: false, retryAfterMs: 45_000 });
  });

  it('slides: a slot frees when the oldest question leaves the window', () => {
    const c = clock();
    const limiter = createRateLimiter({ perUser: { limit: 2, windowMs: 60_000 }, now: c.now });
    limiter.check('u1');
    c.advance(10_000);
    limiter.check('u1');
    c.advance(50_001);
    expect(limiter.check('u1')).toEqual({ ok: true });
    expect(limiter.check('u1')).toEqual({ ok: false, retryAfterMs: 9_999 });
  });

  it('counts users apart', () => {
    const c = clock();
    const limiter = createRateLimiter({ perUser: { limit: 1, windowMs: 60_000 }, now: c.now });
    expect(limiter.check('u1').ok).toBe(true);
    expect(limiter.check('u2').ok).toBe(true);
    expect(limiter.check('u1').ok).toBe(false);
  });

  it('limits a whole guild across its users', () => {
    const c = clock();
    const limiter = createRateLimiter({
      perUser: { limit: 5, windowMs: 60_000 },
      perGuild: { limit: 2, windowMs: 30_000 },
      now: c.now,
    });
    expect(limiter.check('u1', 'g1').ok).toBe(true);
    expect(limiter.check('u2', 'g1').ok).toBe(true);
    expect(limiter.check('u3', 'g1')).toEqual({ ok: false, retryAfterMs: 30_000 });
    expect(limiter.check('u3', 'g2').ok).toBe(true);
    // Direct messages have no guild and only meet the user limit.
    expect(limiter.check('u3').ok).toBe(true);
  });

  it('does not count a refused question against the user', () => {
    const c = clock();
    const limiter = createRateLimiter({
      perUser: { limit: 1, windowMs: 60_000 },
      perGuild: { limit: 1, windowMs: 10_000 },
      now: c.now,
    });
    expect(limiter.check('u1', 'g1').ok).toBe(true);
    expect(limiter.check('u2', 'g1').ok).toBe(false); // guild full
    c.advance(10_000);
    expect(limiter.check('u2', 'g1').ok).toBe(true); // u2's refused try cost nothing
  });
});
