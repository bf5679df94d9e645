/**
 * Channel feeds: a channel follows a topic and/or a source, filtered, and each new story is
 * posted there as it arrives (see feed-delivery.ts for the exactly-once posting). This module
 * owns the configuration (/feed add, list, remove, pause, resume, test) and hands an ingest's
 * changed stories, planned per channel (feed-planner.ts), to the delivery.
 */
import { randomBytes } from 'node:crypto';
import type { StoryFinder } from '../brief/story-finder.ts';
import type { StorySummary } from '../brief/summary-types.ts';
import type { Taxonomy } from '../brief/topics/taxonomy.ts';
import type { OutboundMessage } from '../delivery/message.ts';
import type { DeliveryLog } from '../delivery/retry.ts';
import { UserError } from '../errors.ts';
import { createInFlight } from '../in-flight.ts';
import { readerIn, type Story } from '../news/types.ts';
import type { RecordStore } from '../store/types.ts';
import { findTopic } from '../brief/topic-catalog.ts';
import { mapLimit } from '../map-limit.ts';
import type { ChannelProblem } from '../delivery/problem.ts';
import type { DeliveryLedger } from '../delivery/ledger.ts';
import {
  CHANNEL_DOES_NOT_EXIST,
  POSTING_PERMISSIONS,
  type ChannelPermission,
  type DeliverySurface,
  type DestinationAccess,
} from '../delivery/sink.ts';
import {
  pausedNoticeKey,
  type ChannelRun,
  type ChannelRunReport,
  type FeedDelivery,
  type FeedNotifier,
} from './feed-delivery.ts';
import { sourceKey } from './feed-matcher.ts';
import { createFeedPlanner } from './feed-planner.ts';
import type { ChannelFeed } from './feed-types.ts';
import { compileFeedFilters } from './filters.ts';
import { editFeed, type FeedEditRequest, type FeedEditResult } from './feed-edit.ts';

/** /feed test looks this far back among the stored stories, newest first. */
const TEST_CANDIDATES = 200;
const TEST_CHUNK = 10;
const MAX_PENDING = 50;

export type { FeedEditRequest, FeedEditResult } from './feed-edit.ts';

export interface FeedAddRequest {
  guildId: string;
  channelId: string;
  topic?: string;
  source?: string;
  include?: string;
  exclude?: string;
  threads?: boolean;
  userId: string;
}

export interface FeedAddResult {
  feed: ChannelFeed;
  /** False when the same feed already existed (it is re-armed and updated). */
  created: boolean;
  /** It was paused (by an admin or a fault) and runs again. */
  resumed: boolean;
}

export interface FeedTestResult {
  outcome: 'posted' | 'none' | 'paused' | 'failed';
  story?: Story;
  /** Paused: an admin's words (or, by a fault, the problem's kind). */
  reason?: string;
  /** Paused by a fault, or the test post refused: what is wrong with the channel. */
  problem?: ChannelProblem;
}

/** What /feed preview shows: the feed's next post, rendered, when a stored story matches. */
export interface FeedPreview {
  feed: ChannelFeed;
  story?: Story;
  message?: OutboundMessage;
}

export interface FeedRunReport {
  channels: number;
  posted: number;
  listed: number;
  updated: number;
  paused: number;
  failed: number;
}

/** Channel feed configuration and the posting of new stories. */
export interface FeedService {
  add(request: FeedAddRequest): Promise<FeedAddResult>;
  /** A server's feeds (every feed when guildId is undefined), by channel then creation. */
  list(guildId?: string): Promise<ChannelFeed[]>;
  remove(guildId: string | undefined, feedId: string): Promise<ChannelFeed>;
  /** Changes a feed in place: it keeps its id, its ledger and what it already posted. */
  edit(request: FeedEditRequest): Promise<FeedEditResult>;
  pause(guildId: string | undefined, feedId: string): Promise<ChannelFeed>;
  /** Runs a paused feed again, after checking the channel as /feed add does. */
  resume(guildId: string | undefined, feedId: string): Promise<ChannelFeed>;
  /** The newest matching story as the feed would post it; nothing is sent. */
  preview(guildId: string | undefined, feedId: string): Promise<FeedPreview>;
  /**
   * Posts the newest matching story now, marked as a test, whether or not it was posted before;
   * the ledger is not touched, so its real post (if any is due) still happens once.
   */
  test(guildId: string | undefined, feedId: string): Promise<FeedTestResult>;
  /** The ingest's change notification: new and updated stories to the feeds that match them. */
  onNewStories(storyIds: readonly string[]): Promise<FeedRunReport>;
  /** Resolves when no run is in flight. */
  idle(): Promise<void>;
}

/** One story by id, or those the story catalog picks. */
export interface FeedStories extends Pick<StoryFinder, 'newest' | 'carrying'> {
  getStory(id: string): Promise<Story | undefined>;
}

export interface FeedServiceDeps {
  feeds: RecordStore<ChannelFeed>;
  /** The feeds this process posts (the terminal mode and the bot each take their own). */
  activeFeeds?: () => AsyncIterable<[string, ChannelFeed]>;
  /** The shared delivery ledger: whether a channel has a story already. */
  ledger: Pick<DeliveryLedger, 'get'>;
  stories: FeedStories;
  taxonomy: Taxonomy;
  /** Source names a server may follow: the shared ones and its own. */
  sourceNames(guildId: string): Promise<string[]>;
  /** Herald's own permissions in a channel, from the surface feeds post to. */
  access: () => { surface: DeliverySurface; access: DestinationAccess };
  delivery: FeedDelivery;
  /** Re-armed when a feed is set up again, so its next pause is told again. */
  notifier: Pick<FeedNotifier, 'rearm'>;
  summaryOf(story: Story): Promise<StorySummary>;
  log: DeliveryLog;
  now: () => number;
  limits: { maxPerGuild: number; maxAgeHours: number };
  /** Channels posted to in parallel in one run. Default 16. */
  concurrency?: number;
}

/**
 * A new feed's id: random, so it never depends on settings `/feed edit` may change later.
 * Feeds stored before this kept their ids (a hash of the channel and the settings they were
 * created with); every lookup is by the stored id, so those keep working unchanged.
 */
export function newFeedId(): string {
  // 40 random bits in base 32: eight characters, as the older hashed ids have.
  const bits = randomBytes(5).reduce((value, byte) => value * 256n + BigInt(byte), 0n);
  return `f-${bits.toString(32).padStart(8, '0')}`;
}

/** What a feed follows, compared to tell whether `/feed add` names a feed the channel has. */
function followsKey(parts: { topic?: string; source?: string; include?: string; exclude?: string }): string {
  return JSON.stringify([parts.topic ?? '', parts.source ?? '', parts.include ?? '', parts.exclude ?? '']);
}

function followsKeyOf(feed: ChannelFeed): string {
  return followsKey({
    ...(feed.topic ? { topic: feed.topic.key } : {}),
    ...(feed.source ? { source: sourceKey(feed.source) } : {}),
    ...(feed.include ? { include: feed.include } : {}),
    ...(feed.exclude ? { exclude: feed.exclude } : {}),
  });
}

function clean(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  return trimmed === undefined || trimmed.length === 0 ? undefined : trimmed;
}

/** Marks each feed paused by a fault (used by the delivery through build-feeds). */
export async function setPausedFeeds(
  store: RecordStore<ChannelFeed>,
  list: readonly ChannelFeed[],
  problem: ChannelProblem,
  at: string,
): Promise<ChannelFeed[]> {
  const out: ChannelFeed[] = [];
  for (const feed of list) {
    const fresh = (await store.get(feed.id)) ?? feed;
    if (fresh.paused) continue;
    const paused: ChannelFeed = { ...fresh, paused: { reason: problem.kind, at, by: 'fault', problem } };
    await store.set(feed.id, paused);
    out.push(paused);
  }
  return out;
}

function withoutPause(feed: ChannelFeed): ChannelFeed {
  const { paused: _paused, ...rest } = feed;
  return rest;
}

export function createFeedService(deps: FeedServiceDeps): FeedService {
  const { feeds, taxonomy, stories, access, delivery, log, now } = deps;
  const planner = createFeedPlanner({ summaryOf: deps.summaryOf, log, maxAgeHours: deps.limits.maxAgeHours });
  const planRuns = planner.plan;
  const { track, idle } = createInFlight();
  const iso = (): string => new Date(now()).toISOString();

  async function all(
    source: () => AsyncIterable<[string, ChannelFeed]> = () => feeds.entries(),
  ): Promise<ChannelFeed[]> {
    const list: ChannelFeed[] = [];
    for await (const [, feed] of source()) list.push(feed);
    return list.sort(
      (a, b) =>
        a.channelId.localeCompare(b.channelId) ||
        a.createdAt.localeCompare(b.createdAt) ||
        a.id.localeCompare(b.id),
    );
  }

  async function owned(guildId: string | undefined, feedId: string): Promise<ChannelFeed> {
    const id = feedId.trim();
    const feed = await feeds.get(id);
    if (!feed || (guildId !== undefined && feed.guildId !== guildId)) {
      throw new UserError(`There is no feed "${id.slice(0, 40)}" in this server. /feed list shows them.`);
    }
    return feed;
  }

  /**
   * The channel's kind, after checking Herald may post there as the feed needs (threads: start
   * them and write in them; a forum: write in its posts). UserError naming what is missing.
   */
  async function checkChannel(
    guildId: string,
    channelId: string,
    threads: boolean,
  ): Promise<ChannelFeed['channelKind']> {
    const { surface, access: checker } = access();
    if (surface === 'terminal') return 'terminal';
    const refuse = (missing: readonly string[]): never => {
      if (missing.includes(CHANNEL_DOES_NOT_EXIST))
        throw new UserError('I cannot see that channel: it does not exist or I have no access to it.');
      throw new UserError(
        `I cannot post in that channel: I am missing ${missing.join(', ')} there. Grant it, then try again.`,
      );
    };
    // No permissions asked, only forums accepted: an empty answer means the channel is a forum.
    const forum = (await checker.missingPermissions(guildId, channelId, [], ['forum'])).length === 0;
    const needs: ChannelPermission[] = [
      ...POSTING_PERMISSIONS,
      ...(forum
        ? ['send-in-threads' as const]
        : threads
          ? ['create-public-threads' as const, 'send-in-threads' as const]
          : []),
    ];
    const missing = await checker.missingPermissions(
      guildId,
      channelId,
      needs,
      forum ? ['forum'] : ['text', 'announcement', 'forum'],
    );
    if (missing.length > 0) refuse(missing);
    return forum ? 'forum' : 'text';
  }

  async function resolveSource(guildId: string, typed: string): Promise<string> {
    const names = await deps.sourceNames(guildId);
    const found = names.find((name) => sourceKey(name) === sourceKey(typed));
    if (!found)
      throw new UserError(
        `I do not read a source named "${typed.slice(0, 100)}". /sources list shows the ones I do.`,
      );
    return found;
  }

  async function onNewStories(storyIds: readonly string[]): Promise<FeedRunReport> {
    const report: FeedRunReport = { channels: 0, posted: 0, listed: 0, updated: 0, paused: 0, failed: 0 };
    const at = now();
    const active = (await all(deps.activeFeeds)).filter((feed) => feed.paused === undefined);
    if (active.length === 0 || storyIds.length === 0) return report;
    // What a fault kept from being posted last time comes first, then the new stories.
    const ids = new Set([...active.flatMap((feed) => feed.pendingStoryIds ?? []), ...storyIds]);
    const batch = (await Promise.all([...ids].map((id) => stories.getStory(id)))).filter(
      (story): story is Story => story !== undefined,
    );
    if (batch.length === 0) return report;
    const runs = await planRuns(active, batch, at, true);
    await mapLimit(runs, deps.concurrency ?? 16, async (run) => {
      const result: ChannelRunReport = await delivery.deliver(run);
      await keepPending(run, result.unposted);
      report.channels += 1;
      report.posted += result.posted.length;
      report.listed += result.listed.length;
      report.updated += result.updated.length;
      if (result.paused !== undefined) report.paused += 1;
      if (result.failed !== undefined) report.failed += 1;
    });
    if (report.posted + report.listed + report.updated + report.paused + report.failed > 0)
      log.info({ ...report }, 'channel feeds delivered');
    return report;
  }

  /** Records on each feed of the run the stories it matched that a fault kept back; clears the rest. */
  async function keepPending(run: ChannelRun, unposted: readonly string[]): Promise<void> {
    for (const feed of run.feeds) {
      const mine = unposted.filter((id) => run.feedOf.get(id)?.id === feed.id);
      if (mine.length === 0 && feed.pendingStoryIds === undefined) continue;
      const fresh = await feeds.get(feed.id);
      if (!fresh) continue;
      const { pendingStoryIds: _previous, ...rest } = fresh;
      await feeds.set(
        feed.id,
        mine.length > 0 ? { ...rest, pendingStoryIds: mine.slice(-MAX_PENDING) } : rest,
      );
    }
  }

  /**
   * The newest stored story the feed takes (latest arrival first), whether or not it was posted:
   * what /feed preview shows and /feed test posts.
   */
  async function newestMatch(feed: ChannelFeed): Promise<Story | undefined> {
    const newest: Story[] = [];
    for await (const page of stories.newest({ audience: readerIn(feed.guildId) })) {
      newest.push(...page);
      if (newest.length >= TEST_CANDIDATES) break;
    }
    const candidates = newest
      .sort(
        (a, b) => b.firstSeenAt.localeCompare(a.firstSeenAt) || b.publishedAt.localeCompare(a.publishedAt),
      )
      .slice(0, TEST_CANDIDATES);
    // A few at a time, so a filtered feed summarizes only what it looks at.
    for (let start = 0; start < candidates.length; start += TEST_CHUNK) {
      const run = (await planRuns([feed], candidates.slice(start, start + TEST_CHUNK), now(), false))[0];
      const first = run?.stories[0];
      if (first) return first;
    }
    return undefined;
  }

  async function unusedFeedId(): Promise<string> {
    for (;;) {
      const id = newFeedId();
      if ((await feeds.get(id)) === undefined) return id;
    }
  }

  async function setPaused(feed: ChannelFeed, reason: string, by: 'admin' | 'fault'): Promise<ChannelFeed> {
    const fresh = (await feeds.get(feed.id)) ?? feed;
    const paused: ChannelFeed = { ...fresh, paused: { reason, at: iso(), by } };
    await feeds.set(feed.id, paused);
    return paused;
  }

  return {
    async add(request) {
      const topicText = clean(request.topic);
      const sourceText = clean(request.source);
      const include = clean(request.include);
      const exclude = clean(request.exclude);
      if (topicText === undefined && sourceText === undefined)
        throw new UserError('Give a topic, a source, or both: a feed follows at least one.');
      // Filters first: a bad pattern is the most likely mistake and costs no lookups.
      compileFeedFilters({ ...(include ? { include } : {}), ...(exclude ? { exclude } : {}) });
      const audience = readerIn(request.guildId);
      const topic =
        topicText === undefined ? undefined : await findTopic(topicText, taxonomy, stories, audience);
      const source = sourceText === undefined ? undefined : await resolveSource(request.guildId, sourceText);
      const wanted = followsKey({
        ...(topic ? { topic: topic.key } : {}),
        ...(source ? { source: sourceKey(source) } : {}),
        ...(include ? { include } : {}),
        ...(exclude ? { exclude } : {}),
      });
      const guildFeeds = (await all()).filter((feed) => feed.guildId === request.guildId);
      // The same channel following the same thing is the same feed, whatever its id was made from.
      const existing = guildFeeds.find(
        (feed) => feed.channelId === request.channelId && followsKeyOf(feed) === wanted,
      );
      if (!existing && guildFeeds.length >= deps.limits.maxPerGuild)
        throw new UserError(
          `This server has ${guildFeeds.length} feeds, the most I keep for one server. /feed remove one first.`,
        );
      const id = existing?.id ?? (await unusedFeedId());
      const threadsWanted = request.threads ?? existing?.threads ?? false;
      const channelKind = await checkChannel(request.guildId, request.channelId, threadsWanted);
      const at = iso();
      const feed: ChannelFeed = {
        ...(existing
          ? withoutPause(existing)
          : {
              id,
              guildId: request.guildId,
              channelId: request.channelId,
              createdBy: request.userId,
              createdAt: at,
              since: at,
            }),
        channelKind,
        ...(topic ? { topic: { key: topic.key, label: topic.label, kind: topic.kind } } : {}),
        ...(source ? { source } : {}),
        ...(include ? { include } : {}),
        ...(exclude ? { exclude } : {}),
        threads: channelKind === 'forum' || threadsWanted,
        updatedAt: at,
      } as ChannelFeed;
      await feeds.set(id, feed);
      await deps.notifier.rearm(feed.guildId, pausedNoticeKey(id));
      return { feed, created: existing === undefined, resumed: existing?.paused !== undefined };
    },

    async list(guildId) {
      return (await all()).filter((feed) => guildId === undefined || feed.guildId === guildId);
    },

    async remove(guildId, feedId) {
      const feed = await owned(guildId, feedId);
      await feeds.delete(feed.id);
      return feed;
    },

    async edit(request) {
      const feed = await owned(request.guildId, request.feedId);
      const result = await editFeed(feed, request, {
        taxonomy,
        stories,
        where: access(),
        resolveSource,
        checkChannel,
        now: iso(),
      });
      if (result.changed.length > 0) await feeds.set(feed.id, result.feed);
      return result;
    },

    async pause(guildId, feedId) {
      const feed = await owned(guildId, feedId);
      if (feed.paused) return feed;
      return setPaused(feed, 'paused with /feed pause', 'admin');
    },

    async resume(guildId, feedId) {
      const feed = await owned(guildId, feedId);
      const channelKind = await checkChannel(feed.guildId, feed.channelId, feed.threads);
      const resumed: ChannelFeed = { ...withoutPause(feed), channelKind, updatedAt: iso() };
      await feeds.set(feed.id, resumed);
      await deps.notifier.rearm(feed.guildId, pausedNoticeKey(feed.id));
      return resumed;
    },

    async preview(guildId, feedId) {
      const feed = await owned(guildId, feedId);
      const story = await newestMatch(feed);
      return story ? { feed, story, message: await delivery.render(feed, story) } : { feed };
    },

    async test(guildId, feedId) {
      const feed = await owned(guildId, feedId);
      if (feed.paused) {
        const { reason, problem } = feed.paused;
        return { outcome: 'paused', reason, ...(problem === undefined ? {} : { problem }) };
      }
      const story = await newestMatch(feed);
      if (!story) return { outcome: 'none' };
      const problem = await delivery.postTest(feed, story);
      return problem === undefined ? { outcome: 'posted', story } : { outcome: 'failed', story, problem };
    },

    onNewStories: (storyIds) => track(onNewStories(storyIds)),

    idle,
  };
}
