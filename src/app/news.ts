import { createGazetteer } from '../brief/topics/gazetteer.ts';
import { createSectionClassifier } from '../brief/topics/section-classifier.ts';
import { createStoryTopicTagger } from '../brief/topics/story-topics.ts';
import type { Taxonomy } from '../brief/topics/taxonomy.ts';
import type { HeraldConfig } from '../config/schema.ts';
import type { Logger } from '../logger.ts';
import type { DedupIndex } from '../news/dedup-index.ts';
import { createArticleIngestor, type IngestReport } from '../news/ingest-service.ts';
import { createIngestJob, type IngestJob } from '../news/ingest-job.ts';
import { createSafeFetcher, type SafeFetcher } from '../news/safe-fetch.ts';
import {
  createSourceRegistry,
  guildSourcesCodec,
  sourceStateCodec,
  type SourceRegistry,
} from '../news/source-registry.ts';
import type { StoryRepository } from '../news/story-repository.ts';
import type { StoreBackend } from '../store/backend.ts';

export interface NewsSources {
  fetcher: SafeFetcher;
  registry: SourceRegistry;
}

/** Where news comes from: the configured and the guilds' sources, and the fetcher that reads them. */
export function buildSources(options: {
  config: HeraldConfig;
  backend: StoreBackend;
  /** Tests reach fixture servers on loopback through this; production never sets it. */
  fetcher?: SafeFetcher;
}): NewsSources {
  const { config, backend } = options;
  const fetch = config.ingest.fetch;
  const fetcher =
    options.fetcher ??
    createSafeFetcher({
      deadlineMs: fetch.deadlineMs,
      idleTimeoutMs: fetch.idleTimeoutMs,
      maxBytes: fetch.maxBytes,
      maxRedirects: fetch.maxRedirects,
      allowHosts: fetch.allowHosts,
    });
  const registry = createSourceRegistry({
    configSources: config.sources,
    guildSources: backend.records('guild-sources', guildSourcesCodec),
    states: backend.records('source-state', sourceStateCodec),
    maxPerGuild: config.limits.maxSourcesPerGuild,
  });
  return { fetcher, registry };
}

/** The ingest job: fetches each source, tags, dedups and stores, then tells `onChanged`. */
export function buildIngest(options: {
  config: HeraldConfig;
  backend: StoreBackend;
  sources: NewsSources;
  repository: StoryRepository;
  dedup: DedupIndex;
  taxonomy: Taxonomy;
  log: Logger;
  now: () => number;
  onChanged: (report: IngestReport) => Promise<void>;
}): IngestJob {
  const { config, backend, log, now, repository } = options;
  const { fetcher, registry } = options.sources;
  const tagger = createStoryTopicTagger({
    classifier: createSectionClassifier(options.taxonomy),
    taxonomy: options.taxonomy,
    gazetteer: createGazetteer(),
  });
  const ingestor = createArticleIngestor({
    repository,
    fetcher,
    tagger,
    log,
    now,
    maxAgeHours: config.ingest.maxAgeHours,
    teaserWords: config.ingest.teaserMaxWords,
    maxArticleChars: config.ingest.maxArticleChars,
    dedup: options.dedup,
  });
  return createIngestJob({
    registry,
    ingestor,
    fetcher,
    claims: backend.claims,
    log,
    now,
    backoff: { maxFailures: config.ingest.maxFailures },
    onChanged: options.onChanged,
    repository,
    retentionMs: config.ingest.retentionDays * 86_400_000,
    maxFileBytes: config.ingest.fetch.maxBytes,
    // Held a little under one interval, so the next tick can run wherever it lands.
    runClaimMs: Math.max(30_000, config.ingest.intervalMinutes * 60_000 - 15_000),
  });
}
