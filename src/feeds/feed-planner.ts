/**
 * Turns a batch of stories into one run per channel: which feeds take which stories (the
 * indexed matcher, with the text filters need), each story once per channel (the first feed
 * that takes it decides its thread), stories a reader of that server may see, and which of them
 * are too old to post as new (an update is all they may bring).
 */
import type { StorySummary } from '../brief/summary-types.ts';
import type { DeliveryLog } from '../delivery/retry.ts';
import { isVisibleTo, outletCount, readerIn, type Story } from '../news/types.ts';
import type { ChannelRun } from './feed-delivery.ts';
import { createFeedMatcher, type FeedMatcher, type FeedMatchStory } from './feed-matcher.ts';
import type { ChannelFeed } from './feed-types.ts';
import { matchText } from './filters.ts';
import { HOUR_MS } from '../time/durations.ts';

export interface FeedPlanner {
  /**
   * The runs for `batch`. `strict` (an ingest's change notification): stories not postable as
   * new are marked update-only; /feed test plans without it.
   */
  plan(
    active: readonly ChannelFeed[],
    batch: readonly Story[],
    at: number,
    strict: boolean,
  ): Promise<ChannelRun[]>;
}

/** Different outlets carrying a story (two feeds of one outlet count once). */
function storyText(story: Story, summary: StorySummary | undefined): string[] {
  return [story.title, ...(summary ? summary.sentences : []), story.entities.join(', ')];
}

export function createFeedPlanner(deps: {
  summaryOf(story: Story): Promise<StorySummary>;
  log: DeliveryLog;
  maxAgeHours: number;
}): FeedPlanner {
  const { log } = deps;

  /** A story a feed may post as new: not backlog, not older than ingest.maxAgeHours, not before the feed. */
  function isPostable(story: Story, feed: ChannelFeed, at: number): boolean {
    if (story.backlog === true) return false;
    const oldest = at - deps.maxAgeHours * HOUR_MS;
    if (Date.parse(story.publishedAt) < oldest || Date.parse(story.firstSeenAt) < oldest) return false;
    return Date.parse(story.firstSeenAt) >= Date.parse(feed.since);
  }

  /**
   * Filters read the headline, the summary and the names. Only stories a filtered feed may take
   * are summarized here (once, cached: posting them needs the summary anyway).
   */
  async function textsFor(batch: readonly Story[], matcher: FeedMatcher): Promise<Map<string, string[]>> {
    const texts = new Map<string, string[]>();
    const wanted = matcher.needText(batch);
    for (const story of batch) {
      if (!wanted.has(story.id)) continue;
      let summary: StorySummary | undefined;
      try {
        summary = await deps.summaryOf(story);
      } catch (error) {
        log.warn(
          { storyId: story.id, err: String(error) },
          'no summary for feed filters; matching on the headline',
        );
      }
      texts.set(story.id, storyText(story, summary));
    }
    return texts;
  }

  async function planRuns(
    active: readonly ChannelFeed[],
    batch: readonly Story[],
    at: number,
    strict: boolean,
  ): Promise<ChannelRun[]> {
    const byId = new Map(active.map((feed) => [feed.id, feed]));
    const storyById = new Map(batch.map((story) => [story.id, story]));
    const matcher = createFeedMatcher(active, (feedId, error) =>
      log.warn({ feedId, err: String(error) }, 'feed filter no longer compiles; feed skipped'),
    );
    const texts = await textsFor(batch, matcher);
    const matches = matcher.match(batch as readonly FeedMatchStory[], (story) =>
      matchText(texts.get(story.id) ?? [story.id]),
    );
    const runs = new Map<string, ChannelRun>();
    const updateOnly = new Map<string, Set<string>>();
    for (const feed of active) {
      const key = `${feed.guildId}:${feed.channelId}`;
      if (!runs.has(key)) {
        runs.set(key, {
          target: { guildId: feed.guildId, channelId: feed.channelId, kind: feed.channelKind },
          feedOf: new Map(),
          stories: [],
          feeds: [],
          updateOnly: new Set(),
        });
        updateOnly.set(key, new Set());
      }
      (runs.get(key) as ChannelRun).feeds.push(feed);
    }
    for (const [feedId, storyIds] of matches) {
      const feed = byId.get(feedId) as ChannelFeed;
      const key = `${feed.guildId}:${feed.channelId}`;
      const run = runs.get(key) as ChannelRun;
      for (const storyId of storyIds) {
        const story = storyById.get(storyId) as Story;
        if (run.feedOf.has(storyId) || !isVisibleTo(story, readerIn(feed.guildId))) continue;
        const unconfirmed = outletCount(story) < (feed.minSources ?? 1);
        // /feed test and preview look only at stories the feed would post.
        if (!strict && unconfirmed) continue;
        run.feedOf.set(storyId, feed);
        run.stories.push(story);
        // Below the threshold a story waits: a later copy brings it back with one outlet more.
        if (strict && (unconfirmed || !isPostable(story, feed, at))) updateOnly.get(key)?.add(storyId);
      }
    }
    // Batch order, so a channel reads stories in the order they arrived.
    const order = new Map(batch.map((story, index) => [story.id, index]));
    const planned = [...runs.entries()]
      .filter(([, run]) => run.stories.length > 0)
      .map(([key, run]) => ({ ...run, updateOnly: updateOnly.get(key) ?? new Set<string>() }));
    for (const run of planned) run.stories.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
    return planned;
  }

  return { plan: planRuns };
}
