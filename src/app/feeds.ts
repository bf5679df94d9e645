/**
 * Builds the channel feeds area on the store backend and the delivery transport, for the
 * composition root. The transport exists before any service (built surface first): its sink
 * posts, its access checks channels, and its surface decides which feeds this process posts, so
 * a terminal session never posts a Discord channel's feed and the bot never posts the terminal's.
 */
import type { BriefService } from '../brief/brief-service.ts';
import type { Taxonomy } from '../brief/topics/taxonomy.ts';
import type { HeraldConfig } from '../config/schema.ts';
import type { Courier } from '../delivery/courier.ts';
import { ledgerEntryCodec, type LedgerEntry } from '../delivery/ledger.ts';
import type { DeliveryLog } from '../delivery/retry.ts';
import type { DeliveryTransport } from '../delivery/sink.ts';
import type { SourceRegistry } from '../news/source-registry.ts';
import type { StoreBackend } from '../store/backend.ts';
import { createFeedDelivery, isFeedKey, type FeedNotifier } from '../feeds/feed-delivery.ts';
import {
  createFeedService,
  setPausedFeeds,
  type FeedService,
  type FeedStories,
} from '../feeds/feed-service.ts';
import { channelFeedCodec, storyPostCodec, type ChannelFeed } from '../feeds/feed-types.ts';

import { DAY_MS } from '../time/durations.ts';

const CLAIM_TTL_MS = 10 * 60_000;

export interface BuiltFeeds {
  service: FeedService;
}

export function buildFeeds(options: {
  config: HeraldConfig;
  backend: StoreBackend;
  stories: FeedStories;
  brief: Pick<BriefService, 'summaryOf'>;
  taxonomy: Taxonomy;
  sources: Pick<SourceRegistry, 'forGuild'>;
  transport: DeliveryTransport;
  /** Every post leaves through the courier, in the feeds' own lane. */
  courier: Courier;
  /** Tells a server once that a feed was paused (the delivery layer's guild notifier). */
  notifier: FeedNotifier;
  log: DeliveryLog;
  now: () => number;
  /** The channel's timezone (its digest's), for `{published}` in templates. */
  timeZoneOf?: (guildId: string, channelId: string) => Promise<string | undefined>;
}): BuiltFeeds {
  const { config, backend, transport, log, now } = options;
  const feeds = backend.records('channel-feeds', channelFeedCodec);
  // Stories are kept retentionDays; their keys outlive them, so a story still stored never posts twice.
  const keepMs = Math.max(60, config.ingest.retentionDays * 2) * DAY_MS;
  const lane = options.courier.lane('feeds', {
    claimTtlMs: CLAIM_TTL_MS,
    entryTtlMs: keepMs,
    // Feeds kept their entries beside the digests' before they had their own namespace.
    legacy: {
      records: backend.records('digest-ledger', ledgerEntryCodec),
      keyOf: (key) => (isFeedKey(key) ? key : undefined),
      toEntry: (_key, entry) => entry as LedgerEntry,
    },
  });
  const summaryOf = options.brief.summaryOf.bind(options.brief);
  const delivery = createFeedDelivery({
    lane,
    threads: backend.records('feed-threads', storyPostCodec),
    notifier: options.notifier,
    summaryOf,
    pauseFeeds: (list, problem) => setPausedFeeds(feeds, list, problem, new Date(now()).toISOString()),
    log,
    now,
    maxPostsPerRun: config.feeds.maxPostsPerRun,
    threadTtlMs: keepMs,
    sections: options.taxonomy,
    ...(transport.access.forumTags ? { forumTags: transport.access.forumTags.bind(transport.access) } : {}),
    ...(options.timeZoneOf ? { timeZoneOf: options.timeZoneOf } : {}),
  });
  const service = createFeedService({
    feeds,
    async *activeFeeds() {
      const terminal = transport.sink.surface === 'terminal';
      for await (const entry of feeds.entries()) {
        if ((entry[1].channelKind === 'terminal') === terminal) yield entry as [string, ChannelFeed];
      }
    },
    ledger: lane.ledger,
    stories: options.stories,
    taxonomy: options.taxonomy,
    sourceNames: async (guildId) =>
      (await options.sources.forGuild(guildId)).map((source) => source.config.name),
    access: () => ({ surface: transport.sink.surface, access: transport.access }),
    delivery,
    notifier: options.notifier,
    summaryOf,
    log,
    now,
    limits: { maxPerGuild: config.feeds.maxPerGuild, maxAgeHours: config.ingest.maxAgeHours },
    concurrency: config.feeds.concurrency,
  });
  return { service };
}
