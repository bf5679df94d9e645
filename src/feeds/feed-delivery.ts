/**
 * Posts one ingest run's matches into one channel through the courier's feeds lane, exactly
 * once per story per channel across runs, restarts and instances: each story's key
 * (`feed:<channel>:<story>`) is claimed in the feeds' ledger before posting and recorded
 * delivered after, and the message nonce derives from it, so a post retried after a crash
 * returns the first message. More new stories than `maxPostsPerRun` become one headline
 * list (every listed story's key recorded delivered). A story already posted gets an update in
 * its thread when it has one, and nothing otherwise. Rate limits and 5xx are waited out; a
 * destination failure (the channel gone, access or a permission lost) pauses the channel's
 * feeds and tells the server once, with the problem as a value the surface words; the stories
 * not posted are recorded failed, so they may go as soon as it is fixed.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { StorySummary } from '../brief/summary-types.ts';
import { asDeliveryError, type DeliveryLane } from '../delivery/courier.ts';
import { isDestinationFailure, type DeliveryError } from '../delivery/failure.ts';
import { idempotencyKey } from '../delivery/idempotency.ts';
import type { LedgerLease } from '../delivery/ledger.ts';
import type { OutboundMessage } from '../delivery/message.ts';
import { channelProblemOf, type ChannelProblem } from '../delivery/problem.ts';
import type { DeliveryLog } from '../delivery/retry.ts';
import type { Destination } from '../delivery/destination.ts';
import type { GuildNotifier } from '../delivery/notices.ts';
import type { ForumTag } from '../delivery/sink.ts';
import { describeError } from '../errors.ts';
import type { Story } from '../news/types.ts';
import type { SectionNames } from '../render/story-embeds.ts';
import type { RecordStore } from '../store/types.ts';
import {
  floodMessage,
  forumTagIds,
  storyMessage,
  summaryLines,
  threadName,
  updateMessage,
} from './feed-render.ts';
import { storyPostKey, type ChannelFeed, type FeedChannelKind, type StoryPost } from './feed-types.ts';

export interface FeedTarget {
  guildId: string;
  channelId: string;
  kind: FeedChannelKind;
}

/** One channel's share of a run: its feeds and the stories they matched, in batch order. */
export interface ChannelRun {
  target: FeedTarget;
  /** The feed that first matched each story decides whether it gets a thread. */
  feedOf: Map<string, ChannelFeed>;
  stories: Story[];
  /** Every feed of the channel, for pausing them all when the channel fails. */
  feeds: ChannelFeed[];
  /** Stories too old (or from before the feed) to post as new: only an update may follow. */
  updateOnly: ReadonlySet<string>;
}

export interface ChannelRunReport {
  channelId: string;
  posted: string[];
  /** Stories listed in one flood message instead. */
  listed: string[];
  updated: string[];
  /** Already posted (here or by another instance), or too old to post as new. */
  skipped: string[];
  /** New stories a fault kept from being posted (recorded failed; worth another try). */
  unposted: string[];
  /** Why the channel's feeds were paused. */
  paused?: ChannelProblem;
  failed?: string;
}

/** Telling a server something once per key (the delivery layer's guild notifier). */
export type FeedNotifier = Pick<GuildNotifier, 'notifyOnce' | 'rearm'>;

/** The key of the one notice a paused feed gives; re-armed when the feed is set up again. */
export function pausedNoticeKey(feedId: string): string {
  return `feed-paused:${feedId}`;
}

export interface FeedDeliveryDeps {
  /** The feeds' lane of the courier: exactly once per key across instances. */
  lane: DeliveryLane;
  /** Per channel and story: the thread and what the channel was told, for updates. */
  threads: RecordStore<StoryPost>;
  notifier: FeedNotifier;
  summaryOf(story: Story): Promise<StorySummary>;
  /** Pauses the channel's feeds after a destination failure; returns the feeds newly paused. */
  pauseFeeds(feeds: readonly ChannelFeed[], problem: ChannelProblem): Promise<ChannelFeed[]>;
  log: DeliveryLog;
  now: () => number;
  maxPostsPerRun: number;
  /** How long thread records live; longer than stories are kept. */
  threadTtlMs: number;
  /** How long one run may wait out rate limits and 5xx for one message. Default 10 minutes. */
  maxWaitMs?: number;
  /** Section names for posts ("Science", not the key "science"). */
  sections: SectionNames;
  /** The channel's timezone for `{published}` (its digest's); UTC when absent. */
  timeZoneOf?: (guildId: string, channelId: string) => Promise<string | undefined>;
  /** A forum's tags, for tagging each story's post; absent on a surface without forums. */
  forumTags?: (guildId: string, channelId: string) => Promise<ForumTag[]>;
}

export interface FeedDelivery {
  deliver(run: ChannelRun): Promise<ChannelRunReport>;
  /** A story's post exactly as the feed would make it now, role mention included (not sent). */
  render(feed: ChannelFeed, story: Story, options?: { test?: boolean }): Promise<OutboundMessage>;
  /**
   * Posts a story marked as a test, under a key of its own each time: the ledger is never
   * touched, so a later real post of the story still happens, once. Undefined when posted,
   * otherwise what is wrong with the channel (a value the surface words).
   */
  postTest(feed: ChannelFeed, story: Story): Promise<ChannelProblem | undefined>;
}

/** The ledger key prefixes feeds use (a story's post, a flood list, a thread update). */
const FEED_KEY_PREFIXES = ['feed:', 'feed-flood:', 'feed-update:'] as const;

export function isFeedKey(key: string): boolean {
  return FEED_KEY_PREFIXES.some((prefix) => key.startsWith(prefix));
}

/** The ledger key of a story's post in a channel. */
export function feedStoryKey(channelId: string, storyId: string): string {
  return idempotencyKey('feed', channelId, storyId);
}

export function feedLabel(feed: Pick<ChannelFeed, 'topic' | 'source' | 'id'>): string {
  const parts = [
    feed.topic ? feed.topic.label : undefined,
    feed.source ? `from ${feed.source}` : undefined,
  ].filter((part) => part !== undefined);
  return parts.length > 0 ? `"${parts.join(' ')}" (${feed.id})` : feed.id;
}

function targetOf(feed: ChannelFeed): FeedTarget {
  return { guildId: feed.guildId, channelId: feed.channelId, kind: feed.channelKind };
}

function destinationOf(target: FeedTarget, title: string | undefined): Destination {
  if (target.kind === 'forum')
    return {
      kind: 'forum-post',
      forumChannelId: target.channelId,
      title: title ?? 'News',
      guildId: target.guildId,
    };
  return { kind: 'channel', channelId: target.channelId, guildId: target.guildId };
}

export function createFeedDelivery(deps: FeedDeliveryDeps): FeedDelivery {
  const { lane, threads, log, now } = deps;
  const { ledger } = lane;
  const iso = (): string => new Date(now()).toISOString();
  const maxWaitMs = deps.maxWaitMs ?? 10 * 60_000;

  async function timeZoneOf(target: FeedTarget): Promise<string> {
    return (await deps.timeZoneOf?.(target.guildId, target.channelId)) ?? 'UTC';
  }

  /** Retries stop once this message has waited maxWaitMs in all. */
  function budget(): (ms: number) => boolean {
    let waited = 0;
    return (ms) => {
      waited += ms;
      return waited <= maxWaitMs;
    };
  }

  async function pause(run: ChannelRun, error: DeliveryError, report: ChannelRunReport): Promise<void> {
    const problem = channelProblemOf(error, run.target.channelId);
    report.paused = problem;
    log.warn(
      { channelId: run.target.channelId, code: error.code, problem: problem.kind },
      'channel feeds paused',
    );
    for (const feed of await deps.pauseFeeds(run.feeds, problem)) {
      // Once per pause: /feed add or /feed resume re-arms it (feed-service.ts).
      try {
        await deps.notifier.notifyOnce(feed.guildId, pausedNoticeKey(feed.id), {
          kind: 'feed-paused',
          channelId: feed.channelId,
          feed: feedLabel(feed),
          problem,
        });
      } catch (notifyError) {
        log.warn(
          { feedId: feed.id, err: describeError(notifyError) },
          'could not tell the server its feed was paused',
        );
      }
    }
  }

  /** Claims the stories not yet posted here; those posted already may get an update. */
  async function sortStories(run: ChannelRun, report: ChannelRunReport) {
    const { channelId } = run.target;
    const fresh: { story: Story; lease: LedgerLease }[] = [];
    const already: Story[] = [];
    for (const story of run.stories) {
      const key = feedStoryKey(channelId, story.id);
      const entry = await ledger.get(key);
      if (entry?.state === 'delivered') {
        already.push(story);
        continue;
      }
      if (run.updateOnly.has(story.id)) {
        report.skipped.push(story.id);
        continue;
      }
      const claim = await ledger.claim(key);
      if (claim.status === 'claimed') fresh.push({ story, lease: claim.lease });
      else report.skipped.push(story.id);
    }
    return { fresh, already };
  }

  function record(run: ChannelRun, story: Story, extra: Partial<StoryPost>): StoryPost {
    return {
      state: 'sent',
      channelId: run.target.channelId,
      storyId: story.id,
      feedId: (run.feedOf.get(story.id) as ChannelFeed).id,
      sourceNames: story.sources.map((source) => source.name),
      contentHash: story.contentHash,
      summaryLines: [],
      at: iso(),
      ...extra,
    };
  }

  async function render(feed: ChannelFeed, story: Story, test = false): Promise<OutboundMessage> {
    const summary = await deps.summaryOf(story);
    const timeZone = await timeZoneOf(targetOf(feed));
    return storyMessage(
      feed,
      { story, summary, sections: deps.sections, timeZone, now: now() },
      { mention: true, test },
    );
  }

  /** Where a story's post goes; in a forum, with the tags that match the story. */
  async function storyDestination(feed: ChannelFeed, story: Story): Promise<Destination> {
    const destination = destinationOf(targetOf(feed), threadName(story));
    if (destination.kind !== 'forum-post' || !deps.forumTags) return destination;
    const available = await deps.forumTags(feed.guildId, feed.channelId);
    const tagIds = forumTagIds(story, feed.tags, available, deps.sections);
    return tagIds.length > 0 ? { ...destination, tagIds } : destination;
  }

  async function postOne(run: ChannelRun, story: Story, lease: LedgerLease): Promise<void> {
    const { target } = run;
    const feed = run.feedOf.get(story.id) as ChannelFeed;
    const summary = await deps.summaryOf(story);
    const context = { channelId: target.channelId, storyId: story.id };
    const receipt = await lane.send(
      {
        key: lease.key,
        destination: await storyDestination(feed, story),
        message: await render(feed, story),
      },
      { canWait: budget() },
    );
    await ledger.delivered(lease, receipt);
    let threadId: string | undefined = target.kind === 'forum' ? receipt.channelId : undefined;
    if (target.kind === 'text' && feed.threads) {
      // The story is in the channel: a thread that fails to start costs updates, not the post.
      try {
        const request = {
          key: idempotencyKey(lease.key, 'thread'),
          channelId: target.channelId,
          messageId: receipt.messageId,
          name: threadName(story),
          autoArchiveMinutes: 1440 as const,
        };
        threadId = (await lane.startThread(request, { canWait: budget() })).threadId;
      } catch (error) {
        log.warn({ ...context, err: describeError(error) }, 'story posted but its thread did not start');
      }
    }
    await threads.set(
      storyPostKey(target.channelId, story.id),
      record(run, story, {
        messageId: receipt.messageId,
        summaryLines: summaryLines(summary),
        ...(threadId === undefined ? {} : { threadId }),
      }),
      deps.threadTtlMs,
    );
  }

  async function postFlood(
    run: ChannelRun,
    fresh: readonly { story: Story; lease: LedgerLease }[],
  ): Promise<void> {
    const { target } = run;
    const stories = fresh.map((entry) => entry.story);
    const first = run.feedOf.get(stories[0]?.id ?? '');
    const what = first?.topic?.label ?? first?.source ?? '';
    const digest = createHash('sha256')
      .update(stories.map((story) => story.id).join('\n'))
      .digest('base64url')
      .slice(0, 16);
    const key = idempotencyKey('feed-flood', target.channelId, digest);
    const message: OutboundMessage = floodMessage(stories, what);
    const title = `${stories.length} new stories${what ? `: ${what}` : ''}`;
    const receipt = await lane.send(
      { key, destination: destinationOf(target, title), message },
      { canWait: budget() },
    );
    for (const { lease } of fresh) await ledger.delivered(lease, receipt);
  }

  async function postUpdate(run: ChannelRun, story: Story): Promise<boolean> {
    const key = storyPostKey(run.target.channelId, story.id);
    const told = await threads.get(key);
    if (told?.threadId === undefined) return false;
    if (story.sources.length === told.sourceNames.length && story.contentHash === told.contentHash)
      return false;
    const summary = story.contentHash === told.contentHash ? undefined : await deps.summaryOf(story);
    const message = updateMessage(told, story, summary);
    const next: StoryPost = {
      ...told,
      sourceNames: story.sources.map((source) => source.name),
      contentHash: story.contentHash,
      at: iso(),
      ...(summary ? { summaryLines: summaryLines(summary) } : {}),
    };
    if (message) {
      const threadId = told.threadId;
      const updateKey = idempotencyKey(
        'feed-update',
        run.target.channelId,
        story.id,
        story.contentHash,
        next.sourceNames.length,
      );
      const claim = await ledger.claim(updateKey);
      if (claim.status !== 'claimed') return false;
      try {
        const receipt = await lane.send(
          { key: updateKey, destination: { kind: 'thread', threadId, guildId: run.target.guildId }, message },
          { canWait: budget() },
        );
        await ledger.delivered(claim.lease, receipt);
      } catch (error) {
        await ledger.release(claim.lease);
        throw error;
      }
    }
    await threads.set(key, next, deps.threadTtlMs);
    return message !== undefined;
  }

  return {
    render: (feed, story, options = {}) => render(feed, story, options.test ?? false),

    async postTest(feed, story) {
      const target = targetOf(feed);
      try {
        await lane.send(
          {
            key: idempotencyKey('feed-test', target.channelId, story.id, randomUUID()),
            destination: await storyDestination(feed, story),
            message: await render(feed, story, true),
          },
          { canWait: budget() },
        );
        return undefined;
      } catch (error) {
        return channelProblemOf(asDeliveryError(error), target.channelId);
      }
    },

    async deliver(run) {
      const report: ChannelRunReport = {
        channelId: run.target.channelId,
        posted: [],
        listed: [],
        updated: [],
        skipped: [],
        unposted: [],
      };
      const { fresh, already } = await sortStories(run, report);
      const done = new Set<string>();
      let current: Story | undefined;
      try {
        if (fresh.length > deps.maxPostsPerRun) {
          await postFlood(run, fresh);
          for (const { story } of fresh) done.add(story.id);
          report.listed.push(...fresh.map((entry) => entry.story.id));
        } else {
          for (const { story, lease } of fresh) {
            current = story;
            await postOne(run, story, lease);
            done.add(story.id);
            report.posted.push(story.id);
          }
        }
        for (const story of already) {
          current = story;
          if (await postUpdate(run, story)) report.updated.push(story.id);
        }
      } catch (error) {
        const failure = asDeliveryError(error);
        // Not posted: recorded failed, so the story may go at once when the fault is fixed.
        for (const { story, lease } of fresh) {
          if (done.has(story.id)) continue;
          report.unposted.push(story.id);
          await ledger.failed(lease, failure).catch(() => undefined);
        }
        if (isDestinationFailure(failure.kind)) await pause(run, failure, report);
        else {
          report.failed = describeError(failure);
          log.error(
            { channelId: run.target.channelId, storyId: current?.id, err: describeError(error) },
            'feed post failed',
          );
        }
      }
      return report;
    },
  };
}
