import { describe, expect, it } from 'vitest';
import type { CronScheduler } from '../../src/time/cron.ts';
import { createSubscriptionScheduler } from '../../src/subscriptions/scheduler.ts';

function fakeCron() {
  const ticks: (() => Promise<unknown>)[] = [];
  const calls: { expression: string; noOverlap: boolean }[] = [];
  let stopped = 0;
  const cron: CronScheduler = {
    schedule(expression, fn, options) {
      calls.push({ expression, noOverlap: options.noOverlap });
      ticks.push(fn);
      return { stop: () => void (stopped += 1), destroy: () => {} };
    },
  };
  return { cron, ticks, calls, stopped: () => stopped };
}

describe('subscription scheduler', () => {
  it('runs a pass at start and on every minute tick, without overlap, and survives a failing run', async () => {
    const cron = fakeCron();
    let runs = 0;
    let idles = 0;
    const errors: object[] = [];
    const scheduler = createSubscriptionScheduler({
      cron: cron.cron,
      log: { info() {}, warn() {}, error: (context) => errors.push(context) },
      subscriptions: {
        runDue: async () => {
          runs += 1;
          if (runs === 2) throw new Error('store down');
          return { dms: 0, stories: 0, paused: 0, failed: 0, deferred: 0 };
        },
        idle: async () => void (idles += 1),
      },
    });
    await scheduler.start();
    await scheduler.start();
    expect(cron.calls).toEqual([{ expression: '* * * * *', noOverlap: true }]);
    expect(runs).toBe(1);
    await cron.ticks[0]?.();
    await cron.ticks[0]?.();
    expect(runs).toBe(3);
    expect(errors).toHaveLength(1);
    await scheduler.stop();
    expect(cron.stopped()).toBe(1);
    expect(idles).toBe(1);
  });
});
