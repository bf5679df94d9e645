import type { StoryFinder } from '../brief/story-finder.ts';
import type { SummaryWiring } from './summaries.ts';
import type { IngestJob } from '../news/ingest-job.ts';
import type { SourceRegistry } from '../news/source-registry.ts';
import { createStatusService, type StatusService } from '../status/status-service.ts';
import type { GuardedStoreBackend } from '../store/timeouts.ts';
import type { RecordStore } from '../store/types.ts';

async function countEntries(store: RecordStore<unknown>): Promise<number> {
  let count = 0;
  for await (const _entry of store.entries()) count += 1;
  return count;
}

/** /status and `npm start -- status`: uptime, the store, the model, and what is stored. */
export function buildStatus(options: {
  startedAt: number;
  now: () => number;
  backend: GuardedStoreBackend;
  summaries: SummaryWiring;
  registry: Pick<SourceRegistry, 'all'>;
  finder: Pick<StoryFinder, 'count'>;
  ingest: Pick<IngestJob, 'lastReport'>;
}): StatusService {
  const { backend, summaries, registry, finder, ingest } = options;
  const { llm } = summaries;
  return createStatusService({
    startedAt: options.startedAt,
    now: options.now,
    store: { kind: backend.kind, location: backend.location },
    storeHealth: () => backend.health(),
    model: () =>
      llm
        ? { mode: 'model', model: llm.model, ...llm.usage() }
        : { mode: 'extractive', calls: 0, failures: 0, promptTokens: 0, completionTokens: 0 },
    countSources: async () => (await registry.all()).length,
    countStories: () => finder.count(),
    summaries: async () => ({
      cached: await countEntries(summaries.summaryCache),
      ...summaries.summaries.stats(),
    }),
    lastIngest: async () => {
      const last = ingest.lastReport();
      if (!last) return undefined;
      const { report } = last;
      return {
        at: last.at,
        added: report.added.length,
        merged: report.merged.length,
        skipped: report.skipped.length,
        failed: report.failed.length,
      };
    },
  });
}
