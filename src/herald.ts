import type { HeraldConfig } from './config/schema.ts';
import type { HeraldCommand } from './interaction/command.ts';
import type { Logger } from './logger.ts';
import type { HeraldMetrics } from './metrics/metrics.ts';
import type { ActivityLog } from './metrics/activity.ts';
import type { Services } from './interaction/services.ts';
import type { StoreBackend } from './store/backend.ts';
import type { AskServiceWithIndex } from './brief/ask-service.ts';
import type { StoryFinder } from './brief/story-finder.ts';
import type { NewsWiring } from './wiring/news.ts';
import type { BuiltSubscriptions } from './subscriptions/build-subscriptions.ts';
import type { BuiltDigests } from './digest/build-digests.ts';
import type { BuiltFeeds } from './feeds/build-feeds.ts';

/** Everything built by the composition root (src/main.ts), for the surfaces to run on. */
export interface Herald {
  config: HeraldConfig;
  log: Logger;
  backend: StoreBackend;
  /** Counters and histograms for /metrics. */
  metrics: HeraldMetrics;
  /** Daily tallies of ingest and deliveries, for the panel's charts. */
  activity: ActivityLog;
  /** Epoch ms when Herald was built. */
  startedAt: number;
  services: Services;
  commands: readonly HeraldCommand[];
  news: NewsWiring;
  ask: AskServiceWithIndex;
  /** The story catalog: newest stories, stories by topic, topic counts. */
  finder: StoryFinder;
  subscriptions: BuiltSubscriptions;
  digests: BuiltDigests;
  feeds: BuiltFeeds;
  /** Starts scheduled work (ingest, digests, subscriptions); the CLI never does. */
  startJobs(): Promise<void>;
  /** Stops jobs, waits for in-flight writes, closes the store. */
  close(): Promise<void>;
}
