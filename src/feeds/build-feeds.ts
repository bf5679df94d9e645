/**
 * Builds the channel feeds area on the store backend, for the composition root. Feeds post
 * through the delivery layer: the transport (sink and access) is attached once it exists, the
 * Discord one when the bot connects, the terminal's in the terminal mode; until then runs post
 * nothing. The sink's surface also decides which feeds this process posts, so a terminal session
 * never posts a Discord channel's feed and the bot never posts the terminal's.
 */
import type { BriefService } from '../brief/brief-service.ts';
import type { Taxonomy } from '../brief/topics/taxonomy.ts';
import type { HeraldConfig } from '../config/schema.ts';
import { DeliveryError } from '../delivery/failure.ts';
import { idempotencyKey } from '../delivery/idempotency.ts';
import { createDeliveryLedger, ledgerEntryCodec, type DeliveryLedger } from '../delivery/ledger.ts';
import { createRetrier, defaultSleep, type DeliveryLog } from '../delivery/retry.ts';
import type { DeliveryTransport, MessageSink } from '../delivery/sink.ts';
import { describeError } from '../errors.ts';
import type { SourceRegistry } from '../news/source-registry.ts';
import type { StoreBackend } from '../store/backend.ts';
import { createFeedDelivery, type FeedNotifier } from './feed-delivery.ts';
import { createFeedService, setPausedFeeds, type FeedService, type FeedStories } from './feed-service.ts';
import { channelFeedCodec, storyPostCodec, type ChannelFeed } from './feed-types.ts';

const DAY_MS = 86_400_000;
const CLAIM_TTL_MS = 10 * 60_000;
const MAX_NOTICE_CHANNELS = 3;

export interface BuiltFeeds {
  service: FeedService;
  /** Where feeds post from now on (the bot's Discord transport, or the terminal's). */
  attach(transport: DeliveryTransport): void;
}

/** Tells a server once per key, in the first notice channel that takes it. */
function createFeedNotifier(transport: () => DeliveryTransport, ledger: DeliveryLedger, log: DeliveryLog): FeedNotifier {
  return {
    async notifyOnce(guildId, key, text) {
      const claim = await ledger.claim(idempotencyKey('notice', guildId, key));
      if (claim.status !== 'claimed') return;
      const { sink, access } = transport();
      for (const channelId of (await access.noticeChannels(guildId).catch(() => [])).slice(0, MAX_NOTICE_CHANNELS)) {
        try {
          const receipt = await sink.send({ key: claim.lease.key, destination: { kind: 'channel', channelId, guildId }, message: { content: text } });
          await ledger.delivered(claim.lease, receipt);
          return;
        } catch (error) {
          log.warn({ guildId, channelId, err: describeError(error) }, 'feed notice not posted here; trying the next channel');
        }
      }
      await ledger.release(claim.lease);
      throw new Error(`no channel in guild ${guildId} took the notice`);
    },
  };
}

export function buildFeeds(options: {
  config: HeraldConfig;
  backend: StoreBackend;
  stories: FeedStories;
  brief: Pick<BriefService, 'summaryOf'>;
  taxonomy: Taxonomy;
  sources: Pick<SourceRegistry, 'forGuild'>;
  log: DeliveryLog;
  now: () => number;
  sleep?: (ms: number) => Promise<void>;
}): BuiltFeeds {
  const { config, backend, log, now } = options;
  const feeds = backend.records('channel-feeds', channelFeedCodec);
  let current: DeliveryTransport | undefined;
  const transport = (): DeliveryTransport => {
    if (!current) throw new DeliveryError('retry-later', 'no delivery transport attached yet', { mayHaveArrived: false });
    return current;
  };
  // Stories are kept retentionDays; their keys outlive them, so a story still stored never posts twice.
  const keepMs = Math.max(60, config.ingest.retentionDays * 2) * DAY_MS;
  // The same ledger namespace as digests: one record of what Herald delivered.
  const ledger = createDeliveryLedger({
    records: backend.records('digest-ledger', ledgerEntryCodec), claims: backend.claims, claimPrefix: 'delivery',
    claimTtlMs: CLAIM_TTL_MS, entryTtlMs: keepMs, now,
  });
  const summaryOf = options.brief.summaryOf.bind(options.brief);
  const sink: MessageSink = {
    get surface() {
      return transport().sink.surface;
    },
    send: (delivery) => transport().sink.send(delivery),
    startThread: (request) => transport().sink.startThread(request),
  };
  const delivery = createFeedDelivery({
    sink,
    ledger,
    retrier: createRetrier({ sleep: options.sleep ?? defaultSleep, log }),
    threads: backend.records('feed-threads', storyPostCodec),
    notifier: createFeedNotifier(transport, ledger, log),
    summaryOf,
    pauseFeeds: (list, reason) => setPausedFeeds(feeds, list, reason, new Date(now()).toISOString()),
    log,
    now,
    maxPostsPerRun: config.feeds.maxPostsPerRun,
    threadTtlMs: keepMs,
  });
  const service = createFeedService({
    feeds,
    async *activeFeeds() {
      // No transport: nothing to post to, so nothing is matched either.
      if (!current) return;
      const terminal = current.sink.surface === 'terminal';
      for await (const entry of feeds.entries()) {
        if ((entry[1].channelKind === 'terminal') === terminal) yield entry as [string, ChannelFeed];
      }
    },
    ledger,
    stories: options.stories,
    taxonomy: options.taxonomy,
    sourceNames: async (guildId) => (await options.sources.forGuild(guildId)).map((source) => source.config.name),
    access: () => ({ surface: transport().sink.surface, access: transport().access }),
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
