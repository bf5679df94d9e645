/**
 * The composition root: builds Herald's parts in order, each from what the steps before it
 * made, on the surface's transport (built first, by src/main.ts or a test). Read top to bottom:
 * the store, the story store and its indexes, the brief services, delivery, each feature, the
 * ingest job that tells them of new stories, the services commands receive, and the jobs.
 */
import { createBriefService } from '../brief/brief-service.ts';
import { loadTaxonomy } from '../brief/topics/taxonomy.ts';
import type { HeraldConfig } from '../config/schema.ts';
import type { DeliveryTransport } from '../delivery/sink.ts';
import type { HeraldCommand } from '../interaction/command.ts';
import type { Services } from '../interaction/services.ts';
import { createLogger, type Logger } from '../logger.ts';
import type { IngestReport } from '../news/ingest-service.ts';
import { createOpmlService, OPML_MAX_BYTES } from '../news/opml-service.ts';
import { createMonitorRssImport } from '../feeds/monitorss-import.ts';
import { createSafeFetcher, type SafeFetcher } from '../news/safe-fetch.ts';
import { createSourceAdmin } from '../news/source-admin.ts';
import type { StoreBackend } from '../store/backend.ts';
import { buildAsk } from './ask.ts';
import { buildDelivery } from './delivery.ts';
import { buildDigests } from './digests.ts';
import { buildFeeds } from './feeds.ts';
import { createJobs } from './jobs.ts';
import { openLocalIndex } from './local-index.ts';
import { buildIngest, buildSources } from './news.ts';
import { buildStatus } from './status.ts';
import { openStore } from './store.ts';
import { buildStoryStore, type StoryStore } from './story-store.ts';
import { buildSubscriptions } from './subscriptions.ts';
import type { ShardStatusProvider } from '../status/shard-status.ts';
import { buildSummaries } from './summaries.ts';
import type { StoryFinder } from '../brief/story-finder.ts';
import { activityDayCodec, createActivityLog, type ActivityLog } from '../metrics/activity.ts';
import { deliveryObserver, instrumentAsk, instrumentIngestJob } from '../metrics/instrument.ts';
import { createHeraldMetrics, type HeraldMetrics } from '../metrics/metrics.ts';

export interface CreateHeraldOptions {
  /** Where everything Herald posts on its own goes (Discord or the terminal); built first. */
  transport: DeliveryTransport;
  /** The commands the surfaces serve (commands/index.ts); the entry hands them in, as it sits above both. */
  commands: readonly HeraldCommand[];
  log?: Logger;
  now?: () => number;
  /** Redis key prefix; tests give each run its own. */
  keyPrefix?: string;
  /** Tests reach fixture servers on loopback through their own fetcher. */
  fetcher?: SafeFetcher;
  /** Tests put a fault-injecting layer over the store (a full disk, a paused Redis). */
  wrapStore?: (backend: StoreBackend) => StoreBackend;
  /** Where Herald counts for /metrics; a fresh registry when absent. */
  metrics?: HeraldMetrics;
  /** The gateway shards this instance runs (the Discord bot), for /status and metrics. */
  shards?: ShardStatusProvider;
}

/** Everything the surfaces (Discord, the terminal, the command line) run on. */
export interface Herald {
  config: HeraldConfig;
  log: Logger;
  commands: readonly HeraldCommand[];
  /** What command handlers receive; the command line calls the same services. */
  services: Services;
  /** The store, for what surfaces share across instances (interaction claims, the pacer share on Redis). */
  backend: StoreBackend;
  /** The stories under the services, for tests and benchmarks that feed the store directly. */
  stories: StoryStore & {
    /** Brings the answer index up to date with the store; returns the stories re-indexed. */
    catchUpIndex(): Promise<number>;
  };
  /** The story catalog: newest stories, stories by topic, topic counts (the panel reads it). */
  finder: StoryFinder;
  /** Counters and histograms for /metrics. */
  metrics: HeraldMetrics;
  /** Daily tallies of ingest and deliveries, for the panel's charts. */
  activity: ActivityLog;
  /** Epoch ms when Herald was built. */
  startedAt: number;
  /** Starts scheduled work (ingest, digests, subscriptions); the CLI never does. */
  startJobs(): Promise<void>;
  /** Stops jobs, waits for in-flight writes, closes the store. */
  close(): Promise<void>;
}

/** Builds every service on the configured store and transport. Nothing runs until startJobs(). */
export async function createHerald(config: HeraldConfig, options: CreateHeraldOptions): Promise<Herald> {
  const { commands } = options;
  const metrics = options.metrics ?? createHeraldMetrics({ processMetrics: false });
  const now = options.now ?? Date.now;
  const log = options.log ?? createLogger(config.env.LOG_LEVEL);
  const startedAt = now();

  // The store, and the indexes kept beside it.
  const backend = await openStore({
    config,
    log,
    now,
    keyPrefix: options.keyPrefix ?? config.env.STORE_KEY_PREFIX,
    wrap: options.wrapStore,
  });
  const activity = createActivityLog(backend.records('activity-days', activityDayCodec), now, log);
  const { transport } = options;
  const localIndex = openLocalIndex(config, backend);
  const { repository, dedup } = buildStoryStore(
    backend,
    localIndex ? { database: localIndex, log } : undefined,
  );

  // Reading the stories: summaries, the answer index and catalog, briefs.
  const taxonomy = loadTaxonomy(config.topics.taxonomyPath);
  const summaries = buildSummaries(config, backend, log, now);
  const ask = buildAsk({ config, backend, localIndex, repository, llm: summaries.llm, log, now });
  // What commands list (briefs, topics, autocomplete, counts) comes from the story catalog.
  const stories = { getStory: repository.getStory, ...ask.finder };
  const brief = createBriefService({
    repository,
    finder: ask.finder,
    summaries: summaries.summaries,
    taxonomy,
    now,
    halfLifeHours: config.brief.recencyHalfLifeHours,
  });

  // Delivery, then the features that deliver.
  const { courier, notifier } = buildDelivery({
    backend,
    transport,
    log,
    now,
    // Every delivery's outcome, once after retries: /metrics and the panel's charts.
    observe: deliveryObserver(metrics, activity),
  });
  const sources = buildSources({ config, backend, ...(options.fetcher ? { fetcher: options.fetcher } : {}) });
  const subscriptions = buildSubscriptions({
    config,
    backend,
    courier,
    stories,
    brief,
    taxonomy,
    log,
    now,
  });
  const digests = buildDigests({
    config,
    backend,
    transport,
    courier,
    notifier,
    brief,
    taxonomy,
    stories,
    log,
    now,
  });
  const feeds = buildFeeds({
    config,
    backend,
    transport,
    courier,
    notifier,
    stories,
    brief,
    taxonomy,
    sources: sources.registry,
    log,
    now,
    // A feed's {published} reads in the timezone of the channel's digest, when it has one.
    timeZoneOf: async (guildId, channelId) =>
      (await digests.service.list(guildId)).find((digest) => digest.channelId === channelId)?.timezone,
  });

  // Whatever an ingest changed is re-indexed for /ask at once, then offered to subscribers and
  // channel feeds; those are not awaited: many readers must not hold up the next ingest step.
  const afterIngest: ((report: IngestReport) => Promise<void>)[] = [
    async () => void (await ask.catchUp()),
    async (report) => {
      subscriptions.service
        .onNewStories(report.changedStoryIds)
        .catch((error: unknown) => log.error({ err: error }, 'subscription delivery failed'));
    },
    async (report) => {
      feeds.service
        .onNewStories(report.changedStoryIds)
        .catch((error: unknown) => log.error({ err: error }, 'channel feed delivery failed'));
    },
  ];
  const builtIngest = buildIngest({
    config,
    backend,
    sources,
    repository,
    dedup,
    taxonomy,
    log,
    now,
    onChanged: async (report) => {
      for (const step of afterIngest) {
        await step(report).catch((error: unknown) => log.error({ err: error }, 'after-ingest step failed'));
      }
    },
  });
  const ingest = instrumentIngestJob(builtIngest, metrics, activity);

  // What command handlers receive.
  const sourceAdmin = createSourceAdmin({ registry: sources.registry, job: ingest, now });
  const monitorRssImport = createMonitorRssImport({
    sourceAdmin,
    sourceNameFor: async (guildId, url) =>
      (await sources.registry.forGuild(guildId)).find((source) => source.config.url === url.trim())?.config
        .name,
    feeds: feeds.service,
    log,
  });
  // Attachments are downloaded like any other URL, with a cap sized for reading lists.
  const attachmentFetcher =
    options.fetcher ?? createSafeFetcher({ ...config.ingest.fetch, maxBytes: OPML_MAX_BYTES });
  const services: Services = {
    config,
    log,
    now,
    commands,
    status: buildStatus({
      startedAt,
      now,
      backend,
      summaries,
      registry: sources.registry,
      finder: ask.finder,
      ingest,
      ...(options.shards ? { shards: options.shards } : {}),
    }),
    brief,
    taxonomy,
    ask: instrumentAsk(ask, metrics),
    sources: sources.registry,
    ingest,
    sourceAdmin,
    opml: createOpmlService({
      sourceAdmin,
      importJson: (guildId, text) => monitorRssImport.importText(guildId, text),
      registry: sources.registry,
      fetcher: attachmentFetcher,
      log,
      now,
    }),
    subscriptions: subscriptions.service,
    digests: digests.service,
    feeds: feeds.service,
  };

  const jobs = createJobs({
    config,
    log,
    ingest,
    catchUpIndex: () => ask.catchUp(),
    sweepExpired: () => backend.sweepExpired(),
    schedulers: [subscriptions.scheduler, digests.scheduler],
    inFlight: [ingest, subscriptions.service, feeds.service],
    release: async () => {
      await activity.flushed();
      ask.close();
      localIndex?.close();
      await backend.close();
    },
  });

  return {
    config,
    log,
    commands,
    services,
    backend,
    stories: { repository, dedup, catchUpIndex: () => ask.catchUp() },
    finder: ask.finder,
    metrics,
    activity,
    startedAt,
    startJobs: () => jobs.start(),
    close: () => jobs.close(),
  };
}
