// Decorators that report to HeraldMetrics around the ports the composition root already holds,
// so ingest, delivery and the pacer stay unaware of metrics.
import type { DeliveryObserver } from '../delivery/courier.ts';
import type { AdjustablePacer } from '../delivery/pacer.ts';
import type { AskService } from '../brief/answer/ask-service.ts';
import type { IngestJob } from '../news/ingest-job.ts';
import type { IngestReport } from '../news/ingest-service.ts';
import type { ActivityLog } from './activity.ts';
import type { HeraldMetrics } from './metrics.ts';

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}

export function countIngest(report: IngestReport, metrics: HeraldMetrics): void {
  const perSource = new Map<string, number>();
  for (const item of [...report.added, ...report.merged, ...report.skipped])
    perSource.set(item.source, (perSource.get(item.source) ?? 0) + 1);
  for (const [source, count] of perSource) metrics.itemsFetched(source, count);
  for (const failure of report.failed) metrics.itemsFailed(failure.source, 1);
  if (report.added.length > 0) metrics.storiesCreated(report.added.length);
  if (report.merged.length > 0) metrics.storiesMerged(report.merged.length);
}

/** Every run's report counted, whichever way the run was started. */
export function instrumentIngestJob(
  job: IngestJob,
  metrics: HeraldMetrics,
  activity: ActivityLog,
): IngestJob {
  const counted = <T extends IngestReport>(report: T): T => {
    countIngest(report, metrics);
    activity.recordIngest(report);
    return report;
  };
  return {
    runAll: async () => counted(await job.runAll()),
    runSource: async (source) => counted(await job.runSource(source)),
    ingestLocations: async (locations, onProgress) =>
      counted(await job.ingestLocations(locations, onProgress)),
    ingestSampleNews: async (dir) => counted(await job.ingestSampleNews(dir)),
    lastReport: () => job.lastReport(),
    idle: () => job.idle(),
  };
}

/** Deliveries by outcome, told by the courier once per message after its retries. Discord's 429s are counted by the client. */
export function deliveryObserver(metrics: HeraldMetrics, activity: ActivityLog): DeliveryObserver {
  return ({ destination, outcome }) => {
    metrics.delivery(outcome);
    activity.recordDelivery(destination, outcome === 'sent');
  };
}

/** Time from asking for a turn to getting it. */
export function instrumentPacer(pacer: AdjustablePacer, metrics: HeraldMetrics): AdjustablePacer {
  return {
    setPerSecond: (perSecond) => pacer.setPerSecond(perSecond),
    perSecond: () => pacer.perSecond(),
    async take() {
      const asked = performance.now();
      await pacer.take();
      metrics.pacerWait(seconds(asked));
    },
    run(request) {
      const asked = performance.now();
      return pacer.run(() => {
        metrics.pacerWait(seconds(asked));
        return request();
      });
    },
  };
}

export function instrumentAsk(ask: AskService, metrics: HeraldMetrics): AskService {
  return {
    async ask(request) {
      const started = performance.now();
      try {
        return await ask.ask(request);
      } finally {
        metrics.askLatency(seconds(started));
      }
    },
  };
}
