// The delivery port's pure parts: the one fitter, the failure taxonomy, keys and nonces, and the
// pacer. The courier has its own tests (courier.test.ts).
import { describe, expect, it } from 'vitest';
import { classifyFailure, isDestinationFailure, isTransientFailure } from '../../src/delivery/failure.ts';
import { DISCORD_LIMITS, fitMessage, fitThreadName } from '../../src/delivery/fit.ts';
import { idempotencyKey, nonceFor } from '../../src/delivery/idempotency.ts';
import { createPacer } from '../../src/delivery/pacer.ts';

describe('the fitter', () => {
  it('splits long text, groups embeds ten to a message, and puts the buttons on the last part', () => {
    const embeds = Array.from({ length: 12 }, (_, i) => ({
      title: `Story ${i}`,
      description: 'x'.repeat(100),
    }));
    const parts = fitMessage({
      content: 'word '.repeat(900),
      embeds,
      buttons: [{ customId: 'story:ask:1', label: 'Ask about this story' }],
    });
    expect(parts.length).toBe(4);
    for (const part of parts) {
      expect((part.content ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
      expect((part.embeds ?? []).length).toBeLessThanOrEqual(DISCORD_LIMITS.embedsPerMessage);
    }
    // The last text part and the first embed group share a message.
    expect(parts[2]?.embeds).toHaveLength(10);
    expect(parts[3]?.embeds).toHaveLength(2);
    expect(parts[3]?.buttons).toEqual([{ customId: 'story:ask:1', label: 'Ask about this story' }]);
    expect(parts.slice(0, 3).every((part) => part.buttons === undefined)).toBe(true);
  });

  it('never returns an empty message, and keeps a thread name within 100 characters', () => {
    expect(fitMessage({})).toEqual([{ content: '…' }]);
    expect(fitThreadName('a '.repeat(200)).length).toBeLessThanOrEqual(100);
    expect(fitThreadName('   ')).toBe('…');
  });
});

describe('the failure taxonomy', () => {
  it.each([
    [{ status: 404, code: 10003 }, 'destination-gone'],
    [{ status: 404, code: 10008 }, 'destination-gone'],
    [{ status: 403, code: 50001 }, 'missing-permission'],
    [{ status: 403, code: 50013 }, 'missing-permission'],
    [{ status: 403, code: 50007 }, 'dms-closed'],
    [{ status: 429, retryAfterMs: 500 }, 'rate-limited'],
    [{ status: 502 }, 'retry-later'],
    [{}, 'retry-later'],
    [{ status: 400, code: 50035 }, 'rejected'],
  ] as const)('classifies %j as %s', (failure, kind) => {
    expect(classifyFailure(failure).kind).toBe(kind);
  });

  it('tells transient faults from broken destinations, and knows when a message may have arrived', () => {
    expect(isTransientFailure('rate-limited') && isTransientFailure('retry-later')).toBe(true);
    expect(
      ['destination-gone', 'missing-permission', 'dms-closed'].every((kind) =>
        isDestinationFailure(kind as never),
      ),
    ).toBe(true);
    expect(isDestinationFailure('rejected') || isTransientFailure('rejected')).toBe(false);
    expect(classifyFailure({ message: 'socket hang up' }).mayHaveArrived).toBe(true);
    expect(classifyFailure({ message: 'socket hang up', surelyUndelivered: true }).mayHaveArrived).toBe(
      false,
    );
    expect(classifyFailure({ status: 500 }).mayHaveArrived).toBe(false);
  });
});

describe('keys and nonces', () => {
  it('derives one stable nonce of at most 25 characters per key and part', () => {
    const key = idempotencyKey('digest', 'd1:2025-01-15', 0);
    expect(key).toBe('digest:d1:2025-01-15:0');
    expect(nonceFor(key).length).toBeLessThanOrEqual(25);
    expect(nonceFor(key)).toBe(nonceFor(key, 0));
    expect(nonceFor(key, 1)).not.toBe(nonceFor(key, 0));
    expect(nonceFor(idempotencyKey('digest', 'd1:2025-01-16', 0))).not.toBe(nonceFor(key));
  });
});

describe('the pacer', () => {
  it('lets out at most the budget in any window, in the order requests asked', async () => {
    let clock = 0;
    const sent: { id: number; at: number }[] = [];
    const pacer = createPacer({ perSecond: 5, now: () => clock, sleep: async (ms) => void (clock += ms) });
    await Promise.all(
      Array.from({ length: 17 }, (_, id) => pacer.take().then(() => sent.push({ id, at: clock }))),
    );
    expect(sent.map((s) => s.id)).toEqual(Array.from({ length: 17 }, (_, id) => id));
    for (const { at } of sent)
      expect(sent.filter((s) => s.at >= at && s.at < at + 1000).length).toBeLessThanOrEqual(5);
    expect(sent.at(-1)?.at).toBe(3000);
  });

  it('counts a request from its start until a window after its answer, so a slow answer holds its place', async () => {
    let clock = 0;
    const pacer = createPacer({ perSecond: 2, now: () => clock, sleep: async (ms) => void (clock += ms) });
    const answers: (() => void)[] = [];
    let bothStarted: () => void = () => {};
    const started = new Promise<void>((resolve) => (bothStarted = resolve));
    const slow = () =>
      new Promise<void>((resolve) => {
        answers.push(resolve);
        if (answers.length === 2) bothStarted();
      });
    const first = pacer.run(slow);
    const second = pacer.run(slow);
    let thirdStartedAt: number | undefined;
    const third = pacer.run(async () => void (thirdStartedAt = clock));
    await started;
    // Both earlier requests are in flight: however long they take, the third waits.
    clock = 5_000;
    answers[0]?.();
    await first;
    await third;
    // Not at 1 s (the window after its start), but a window after the first answer.
    expect(thirdStartedAt).toBe(6_000);
    answers[1]?.();
    await second;
  });

  it('takes a new budget at once when instances sharing the token come and go', async () => {
    // The clock stands still and a wait never ends: only a change of budget lets more through.
    const pacer = createPacer({ perSecond: 6, now: () => 0, sleep: () => new Promise<void>(() => {}) });
    const settle = async () => {
      for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
    };
    // A second instance joined: half the budget each.
    pacer.setPerSecond(3);
    let through = 0;
    for (let i = 0; i < 9; i++) void pacer.take().then(() => (through += 1));
    await settle();
    expect(through).toBe(3);
    // It left: the whole budget again, for the requests already waiting.
    pacer.setPerSecond(6);
    await settle();
    expect(through).toBe(6);
    expect(pacer.perSecond()).toBe(6);
  });
});
