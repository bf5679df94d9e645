import cron from 'node-cron';
import type { HeraldConfig } from '../config/schema.ts';
import type { Logger } from '../logger.ts';
import type { IngestJob } from '../news/ingest-job.ts';

/** Herald's running life: scheduled work started once, and one orderly stop. */
export interface HeraldJobs {
  /** Starts scheduled work (ingest, sweeps, digests, subscriptions); the CLI never does. Idempotent. */
  start(): Promise<void>;
  /** Stops jobs, waits for in-flight writes, then releases the store. Idempotent. */
  close(): Promise<void>;
}

/** A scheduler that runs a catch-up pass on start and waits for its work in flight on stop. */
interface Scheduler {
  start(): Promise<unknown>;
  stop(): Promise<void>;
}

export function createJobs(options: {
  config: HeraldConfig;
  log: Logger;
  ingest: Pick<IngestJob, 'runAll' | 'idle'>;
  /** Brings the answer index up to date with the store (at start; after another instance's ingest). */
  catchUpIndex: () => Promise<unknown>;
  /** Deletes expired records; once a day. */
  sweepExpired: () => Promise<number>;
  /** Started after the first ingest, in order; stopped in reverse. */
  schedulers: readonly Scheduler[];
  /** Whatever writes in the background; waited for before the store is released. */
  inFlight: readonly { idle(): Promise<void> }[];
  /** Closes indexes and the store, last. */
  release: () => Promise<void>;
}): HeraldJobs {
  const { config, log, ingest } = options;
  const stopJobs: (() => Promise<void>)[] = [];
  // A stop signal can come while start is still in its first ingest: close() then waits for
  // that ingest, and start must not schedule anything after it.
  let closing = false;
  let starting: Promise<void> | undefined;
  let closed: Promise<void> | undefined;

  /** A node-cron task that never overlaps itself, stopped with the other jobs on close. */
  function every(expression: string, name: string, work: () => Promise<void>): void {
    const task = cron.schedule(expression, work, { name, noOverlap: true });
    stopJobs.push(async () => {
      await task.stop();
      await task.destroy();
    });
  }

  async function startOnce(): Promise<void> {
    await options.catchUpIndex();
    // The first run happens now, so a fresh install has news before the first interval; a
    // close() asked for meanwhile skips what has not begun and schedules nothing.
    if (closing) return;
    await ingest.runAll();
    if (closing) return;
    every(`*/${config.ingest.intervalMinutes} * * * *`, 'herald-ingest', async () => {
      const result = await ingest.runAll();
      // Another instance ran it: pick up what it stored.
      if (!result.ran) await options.catchUpIndex();
    });
    // Expired ledger entries, slots and summaries are deleted once a day (Redis needs none of it).
    every('17 4 * * *', 'herald-sweep', async () => {
      try {
        const removed = await options.sweepExpired();
        if (removed > 0) log.info({ removed }, 'expired records swept');
      } catch (error) {
        log.warn({ err: error }, 'sweeping expired records failed; next try tomorrow');
      }
    });
    for (const scheduler of options.schedulers) {
      await scheduler.start();
      stopJobs.push(() => scheduler.stop());
    }
  }

  async function closeOnce(): Promise<void> {
    closing = true;
    // What start is doing (catching up the index, the first ingest) ends before the jobs are
    // stopped and the store closes.
    await starting?.catch(() => undefined);
    for (const stop of stopJobs.reverse()) await stop();
    for (const work of options.inFlight) await work.idle();
    await options.release();
  }

  return {
    start() {
      starting ??= startOnce();
      return starting;
    },
    close() {
      // A signal and an error path may both close.
      closed ??= closeOnce();
      return closed;
    },
  };
}
