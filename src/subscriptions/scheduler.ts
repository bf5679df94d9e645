/**
 * Drives subscription delivery from node-cron: a tick every minute runs daily digests whose
 * local time has come and retries deferred immediate DMs. noOverlap skips a tick while the last
 * is busy, and runDue hands a second caller the run in flight.
 */
import type { CronScheduler, CronTask } from '../time/cron.ts';
import { describeError } from '../errors.ts';
import type { SubscriptionLog, SubscriptionService } from './subscription-service.ts';

export interface SubscriptionSchedulerDeps {
  subscriptions: Pick<SubscriptionService, 'runDue' | 'idle'>;
  /** node-cron 4's default export; tests pass a fake that fires ticks by hand. */
  cron: CronScheduler;
  log: SubscriptionLog;
  /** Default every minute. */
  expression?: string;
}

export interface SubscriptionScheduler {
  /** Schedules the tick and runs one pass at once (catch-up after a restart). Idempotent. */
  start(): Promise<void>;
  /** Stops the tick, then waits for work in flight. */
  stop(): Promise<void>;
}

export function createSubscriptionScheduler(deps: SubscriptionSchedulerDeps): SubscriptionScheduler {
  let task: CronTask | undefined;

  async function tick(): Promise<void> {
    try {
      await deps.subscriptions.runDue();
    } catch (error) {
      // A store outage must not kill the cron task; the next tick tries again.
      deps.log.error({ err: describeError(error) }, 'subscription run failed');
    }
  }

  return {
    async start() {
      if (task) return;
      task = deps.cron.schedule(deps.expression ?? '* * * * *', tick, {
        name: 'herald-subscriptions',
        noOverlap: true,
      });
      await tick();
    },
    async stop() {
      const stopping = task;
      task = undefined;
      if (stopping) {
        await stopping.stop();
        await stopping.destroy();
      }
      await deps.subscriptions.idle();
    },
  };
}
