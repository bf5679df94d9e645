import cron from 'node-cron';
import { describe, expect, it } from 'vitest';
import type { DeliveryReport, DigestLog } from '../../src/digest/delivery-ports.ts';
import { createDigestScheduler } from '../../src/digest/scheduler.ts';
import type { CronScheduler } from '../../src/time/cron.ts';

const silentLog: DigestLog = { info: () => {}, warn: () => {}, error: () => {} };

function createFakeCron() {
  const scheduled: Array<{
    expression: string;
    fn: () => Promise<unknown>;
    options: object;
    stopped: boolean;
  }> = [];
  const fake: CronScheduler = {
    schedule(expression, fn, options) {
      const entry = { expression, fn, options, stopped: false };
      scheduled.push(entry);
      return {
        stop: () => {
          entry.stopped = true;
        },
        destroy: () => {
          entry.stopped = true;
        },
      };
    },
  };
  return { fake, scheduled };
}

function createFakeDelivery() {
  const runs: Array<(reports: DeliveryReport[]) => void> = [];
  let inFlight: Promise<DeliveryReport[]> | undefined;
  return {
    runs,
    delivery: {
      runDue() {
        inFlight ??= new Promise<DeliveryReport[]>((resolve) => runs.push(resolve)).finally(() => {
          inFlight = undefined;
        });
        return inFlight;
      },
      async idle() {
        await inFlight;
      },
    },
  };
}

describe('digest scheduler', () => {
  it('runs a catch-up pass at start and then one run per cron tick, every minute, without overlap', async () => {
    const { fake, scheduled } = createFakeCron();
    const { delivery, runs } = createFakeDelivery();
    const scheduler = createDigestScheduler({ delivery, cron: fake, log: silentLog });
    const catchUp = scheduler.start();
    expect(runs).toHaveLength(1);
    expect(scheduled).toMatchObject([{ expression: '* * * * *', options: { noOverlap: true } }]);
    runs[0]?.([]);
    expect(await catchUp).toEqual([]);

    const tick = scheduled[0]?.fn();
    expect(runs).toHaveLength(2);
    runs[1]?.([]);
    await tick;
    expect(scheduler.start()).toBeInstanceOf(Promise);
    expect(scheduled).toHaveLength(1);
  });

  it('stop() stops the tick and waits for the run in flight', async () => {
    const { fake, scheduled } = createFakeCron();
    const { delivery, runs } = createFakeDelivery();
    const scheduler = createDigestScheduler({ delivery, cron: fake, log: silentLog });
    void scheduler.start();
    let stopped = false;
    const stopping = scheduler.stop().then(() => {
      stopped = true;
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(scheduled[0]?.stopped).toBe(true);
    expect(stopped).toBe(false);
    runs[0]?.([]);
    await stopping;
    expect(stopped).toBe(true);
  });

  it('keeps ticking after a run throws (store outage)', async () => {
    const { fake, scheduled } = createFakeCron();
    const errors: string[] = [];
    const log: DigestLog = { ...silentLog, error: (_context, message) => errors.push(message) };
    let calls = 0;
    const delivery = {
      runDue: async (): Promise<DeliveryReport[]> => {
        calls += 1;
        throw new Error('redis down');
      },
      idle: async () => {},
    };
    const scheduler = createDigestScheduler({ delivery, cron: fake, log });
    expect(await scheduler.start()).toEqual([]);
    await scheduled[0]?.fn();
    expect(calls).toBe(2);
    expect(errors).toEqual(['digest run failed', 'digest run failed']);
  });

  it('works with the real node-cron 4 API', async () => {
    const { delivery, runs } = createFakeDelivery();
    const scheduler = createDigestScheduler({ delivery, cron, log: silentLog });
    const catchUp = scheduler.start();
    runs[0]?.([]);
    await catchUp;
    const named = () => [...cron.getTasks().values()].filter((t) => t.name === 'herald-digest');
    expect(named()).toHaveLength(1);
    expect(named()[0]?.getPattern()).toBe('* * * * *');
    await scheduler.stop();
    expect(named()).toEqual([]);
  });
});
