/**
 * Builds the channel feeds area on the store backend, for the composition root. Where feeds
 * post is attached once it exists (`attach`): the Discord adapters when the bot connects, the
 * terminal's in the terminal mode. Until then (and on the command line without a token) runs
 * post nothing. The transport also decides which feeds this process posts, so a terminal
 * session never posts a Discord channel's feed and the bot never posts the terminal's.
 */
import type { BriefService } from '../brief/brief-service.ts';
import type { Taxonomy } from '../brief/topics/taxonomy.ts';
import type { HeraldConfig } from '../config/schema.ts';
import { PostError, type DigestLog, type GuildNotifier } from '../digest/delivery-ports.ts';
import type { SourceRegistry } from '../news/source-registry.ts';
import type { StoreBackend } from '../store/backend.ts';
import { createFeedDelivery } from './feed-delivery.ts';
import { createFeedService, setPausedFeeds, type FeedService, type FeedStories } from './feed-service.ts';
import type { FeedChannelAccess, FeedSink } from './feed-sink.ts';
import { channelFeedCodec, storyPostCodec, type ChannelFeed } from './feed-types.ts';

const DAY_MS = 86_400_000;

/** Where feeds go and how channels are checked: one per surface. */
export interface FeedTransport {
  mode: 'discord' | 'terminal';
  sink: FeedSink;
  access: FeedChannelAccess;
  notifier: GuildNotifier;
}

export interface BuiltFeeds {
  service: FeedService;
  attach(transport: FeedTransport): void;
}

export function buildFeeds(options: {
  config: HeraldConfig;
  backend: StoreBackend;
  stories: FeedStories;
  brief: Pick<BriefService, 'summaryOf'>;
  taxonomy: Taxonomy;
  sources: Pick<SourceRegistry, 'forGuild'>;
  log: DigestLog;
  now: () => number;
  sleep?: (ms: number) => Promise<void>;
}): BuiltFeeds {
  const { config, backend, log, now } = options;
  const feeds = backend.records('channel-feeds', channelFeedCodec);
  let current: FeedTransport | undefined;
  const transport = (): FeedTransport => {
    if (!current) throw new PostError('server', 'no feed transport attached yet');
    return current;
  };
  const summaryOf = options.brief.summaryOf.bind(options.brief);
  const ledger = backend.records('feed-ledger', storyPostCodec);
  const delivery = createFeedDelivery({
    sink: {
      post: (target, message, opts) => transport().sink.post(target, message, opts),
      postInThread: (threadId, message, opts) => transport().sink.postInThread(threadId, message, opts),
    },
    ledger,
    claims: backend.claims,
    notifier: { notifyOnce: (guildId, key, text) => transport().notifier.notifyOnce(guildId, key, text) },
    summaryOf,
    pauseFeeds: (list, reason) => setPausedFeeds(feeds, list, reason, new Date(now()).toISOString()),
    log,
    now,
    ...(options.sleep ? { sleep: options.sleep } : {}),
    maxPostsPerRun: config.feeds.maxPostsPerRun,
    // Outlive the stories themselves, so a story still stored is never posted twice.
    ledgerTtlMs: Math.max(60, config.ingest.retentionDays * 2) * DAY_MS,
  });
  const service = createFeedService({
    feeds,
    async *activeFeeds() {
      // No transport: nothing to post to, so nothing is matched either.
      if (!current) return;
      const terminal = current.mode === 'terminal';
      for await (const entry of feeds.entries()) {
        if ((entry[1].channelKind === 'terminal') === terminal) yield entry as [string, ChannelFeed];
      }
    },
    ledger,
    stories: options.stories,
    taxonomy: options.taxonomy,
    sourceNames: async (guildId) => (await options.sources.forGuild(guildId)).map((source) => source.config.name),
    access: { inspect: (guildId, channelId, opts) => transport().access.inspect(guildId, channelId, opts) },
    delivery,
    summaryOf,
    log,
    now,
    limits: { maxPerGuild: config.feeds.maxPerGuild, maxAgeHours: config.ingest.maxAgeHours },
    concurrency: config.feeds.concurrency,
  });
  return {
    service,
    attach(next) {
      current = next;
    },
  };
}
