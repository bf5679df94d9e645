import { z } from 'zod';
import type { Destination } from '../delivery/destination.ts';
import type { Logger } from '../logger.ts';
import type { IngestReport } from '../news/ingest-service.ts';
import type { RecordCodec } from '../store/record-store.ts';
import type { RecordStore } from '../store/types.ts';

/** One UTC day of activity, for the panel's charts: cheap to read however large the store. */
export interface ActivityDay {
  /** Items read per source name. */
  items: Record<string, number>;
  /** Deliveries per server: sent and failed. */
  deliveries: Record<string, { sent: number; failed: number }>;
}

const activityDaySchema: z.ZodType<ActivityDay> = z.object({
  items: z.record(z.string(), z.number()),
  deliveries: z.record(z.string(), z.object({ sent: z.number(), failed: z.number() })),
});
export const activityDayCodec: RecordCodec<ActivityDay> = { version: 1, schema: activityDaySchema };

/** Days are kept a little longer than the charts show. */
const KEEP_MS = 20 * 24 * 3_600_000;
/** Deliveries with no server (DMs) are tallied under this key. */
export const DIRECT_MESSAGES = '@dm';

export interface ActivityLog {
  recordIngest(report: IngestReport): void;
  recordDelivery(destination: Destination, sent: boolean): void;
  /** The last `count` UTC days, oldest first, each with its date (YYYY-MM-DD). */
  days(count: number): Promise<{ date: string; day: ActivityDay }[]>;
  /** Resolves when every recorded change is written. */
  flushed(): Promise<void>;
}

function emptyDay(): ActivityDay {
  return { items: {}, deliveries: {} };
}

function dateOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Changes are applied one at a time in this process (read, add, write). Several instances on
 * one Redis may lose an increment to a race now and then: these are charts, not accounts.
 */
export function createActivityLog(
  records: RecordStore<ActivityDay>,
  now: () => number,
  log: Logger,
): ActivityLog {
  let queue: Promise<void> = Promise.resolve();
  function change(apply: (day: ActivityDay) => void): void {
    const date = dateOf(now());
    queue = queue
      .then(async () => {
        const day = (await records.get(date)) ?? emptyDay();
        apply(day);
        await records.set(date, day, KEEP_MS);
      })
      .catch((error: unknown) => log.warn({ err: error }, 'activity for the panel charts not saved'));
  }
  return {
    recordIngest(report) {
      if (report.added.length + report.merged.length + report.skipped.length === 0) return;
      change((day) => {
        for (const item of [...report.added, ...report.merged, ...report.skipped])
          day.items[item.source] = (day.items[item.source] ?? 0) + 1;
      });
    },
    recordDelivery(destination, sent) {
      const guild = 'guildId' in destination && destination.guildId ? destination.guildId : DIRECT_MESSAGES;
      change((day) => {
        const tally = (day.deliveries[guild] ??= { sent: 0, failed: 0 });
        if (sent) tally.sent += 1;
        else tally.failed += 1;
      });
    },
    async days(count) {
      const today = now();
      const dates = Array.from({ length: count }, (_, i) => dateOf(today - (count - 1 - i) * 86_400_000));
      const days = await Promise.all(dates.map((date) => records.get(date)));
      return dates.map((date, i) => ({ date, day: days[i] ?? emptyDay() }));
    },
    flushed: () => queue,
  };
}
