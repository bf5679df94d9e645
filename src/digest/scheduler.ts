/**
 * Drives digest delivery from node-cron: one tick a minute calls runDue. Runs never overlap
 * twice over: node-cron's noOverlap skips a tick while the last is busy, and runDue itself hands
 * a caller the in-flight run. Start runs a catch-up pass at once, so a slot missed while Herald
 * was down is posted (within grace) without waiting for the next minute.
 */
import { describeError } from '../errors.ts';
import type { DeliveryReport, DigestLog } from './delivery-ports.ts';
import type { DigestDelivery } from './delivery.ts';
import type { CronScheduler, CronTask } from '../time/cron.ts';

export interface DigestSchedulerDeps {
  delivery: Pick<DigestDelivery, 'runDue' | 'idle'>;
  cron: CronScheduler;
  log: DigestLog;
  /** Cron expression of the tick. Default every minute. */
  expression?: string;
}

export interface DigestScheduler {
  /** Schedules the tick and runs the catch-up pass now; resolves with that pass's report. Idempotent. */
  start(): Promise<DeliveryReport[]>;
  /** Stops the tick, then waits for a run in flight to finish. */
  stop(): Promise<void>;
}

export function createDigestScheduler(deps: DigestSchedulerDeps): DigestScheduler {
  const { delivery, cron, log } = deps;
  let task: CronTask | undefined;
  let catchUp: Promise<DeliveryReport[]> | undefined;

  async function tick(pass: 'catch-up' | 'tick'): Promise<DeliveryReport[]> {
    try {
      const reports = await delivery.runDue();
      const delivered = reports.filter((r) => r.outcome === 'sent' || r.outcome === 'quiet').length;
      const failed = reports.filter((r) => r.outcome === 'failed').length;
      if (pass === 'catch-up' || delivered > 0 || failed > 0) {
        log.info({ pass, slots: reports.length, delivered, failed }, 'digest run finished');
      }
      return reports;
    } catch (error) {
      // A store outage must not kill the cron task; the next tick tries again.
      log.error({ pass, err: describeError(error) }, 'digest run failed');
      return [];
    }
  }

  return {
    start() {
      if (task) return catchUp ?? Promise.resolve([]);
      task = cron.schedule(deps.expression ?? '* * * * *', () => tick('tick'), {
        name: 'herald-digest',
        noOverlap: true,
      });
      catchUp = tick('catch-up');
      return catchUp;
    },
    async stop() {
      const stopping = task;
      task = undefined;
      catchUp = undefined;
      if (stopping) {
        await stopping.stop();
        await stopping.destroy();
      }
      await delivery.idle();
    },
  };
}
