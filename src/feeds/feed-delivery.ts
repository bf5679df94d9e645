/**
 * Posts one ingest run's matches into one channel, exactly once per story per channel across
 * runs, restarts and instances: a claim per story (lost -> another instance has it), the ledger
 * record written 'claimed' before the post and 'sent' after, and a nonce derived from the key
 * so a post retried after a crash returns the first message. More new stories than
 * `maxPostsPerRun` become one headline list. A story already posted gets an update in its thread
 * (when it has one) and nothing otherwise. 429s and 5xx are waited out; a channel Discord says
 * is gone or forbidden (10003, 50001, 50013) pauses its feeds and tells the server once.
 */
import { createHash } from 'node:crypto';
import type { StorySummary } from '../brief/summary-types.ts';
import { isPermanentPostError, PostError, type DigestLog, type GuildNotifier } from '../digest/delivery-ports.ts';
import { describeError } from '../errors.ts';
import type { Story } from '../news/types.ts';
import type { ClaimStore, RecordStore } from '../store/types.ts';
import { floodMessage, storyMessage, summaryLines, threadName, updateMessage } from './feed-render.ts';
import type { FeedSink, FeedTarget, OutgoingMessage } from './feed-sink.ts';
import { storyPostKey, type ChannelFeed, type StoryPost } from './feed-types.ts';

const CLAIM_TTL_MS = 10 * 60_000;

export const PAUSE_REASONS = {
  'unknown-channel': 'the channel no longer exists (Discord error 10003)',
  'missing-access': 'I lost access to the channel (Discord error 50001)',
  'missing-permissions': 'I am missing a permission in the channel (Discord error 50013)',
} as const;

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
  /** Already posted (here or by another instance), or too old to post. */
  skipped: string[];
  paused?: string;
  failed?: string;
}

export interface FeedDeliveryDeps {
  sink: FeedSink;
  ledger: RecordStore<StoryPost>;
  claims: ClaimStore;
  notifier: GuildNotifier;
  summaryOf(story: Story): Promise<StorySummary>;
  /** Pauses the channel's feeds after a permanent fault; returns the feeds as paused. */
  pauseFeeds(feeds: readonly ChannelFeed[], reason: string): Promise<ChannelFeed[]>;
  log: DigestLog;
  now: () => number;
  sleep?: (ms: number) => Promise<void>;
  maxPostsPerRun: number;
  /** How long ledger records live; longer than stories are kept. */
  ledgerTtlMs: number;
  /** Transient retries per message before the story waits for a later run. */
  maxRetries?: number;
}

export interface FeedDelivery {
  deliver(run: ChannelRun): Promise<ChannelRunReport>;
}

function nonceOf(...parts: string[]): string {
  return createHash('sha256').update(['herald-feed', ...parts].join('\n')).digest('base64url').slice(0, 25);
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function feedLabel(feed: Pick<ChannelFeed, 'topic' | 'source' | 'id'>): string {
  const parts = [feed.topic ? feed.topic.label : undefined, feed.source ? `from ${feed.source}` : undefined].filter((part) => part !== undefined);
  return parts.length > 0 ? `"${parts.join(' ')}" (${feed.id})` : feed.id;
}

export function createFeedDelivery(deps: FeedDeliveryDeps): FeedDelivery {
  const { sink, ledger, claims, log, now } = deps;
  const sleep = deps.sleep ?? defaultSleep;
  const maxRetries = deps.maxRetries ?? 6;
  const iso = (): string => new Date(now()).toISOString();

  /** Retries what Discord says will pass (429: as long as it asks; 5xx: backoff), same nonce each time. */
  async function withRetry<T>(work: () => Promise<T>, context: object): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        const post = error instanceof PostError ? error : undefined;
        const transient = post !== undefined && (post.kind === 'rate-limited' || post.kind === 'server');
        if (!transient || attempt >= maxRetries) throw error;
        const waitMs = post.kind === 'rate-limited' ? (post.retryAfterMs ?? 1000) : Math.min(30_000, 500 * 2 ** attempt);
        log.warn({ ...context, kind: post.kind, waitMs }, 'feed post retrying');
        await sleep(waitMs);
      }
    }
  }

  async function claimStory(channelId: string, storyId: string): Promise<string | undefined> {
    return claims.claim(`feed-post:${storyPostKey(channelId, storyId)}`, CLAIM_TTL_MS);
  }

  async function release(channelId: string, storyId: string, token: string): Promise<void> {
    await claims.release(`feed-post:${storyPostKey(channelId, storyId)}`, token).catch(() => false);
  }

  function baseRecord(channelId: string, feed: ChannelFeed, story: Story): StoryPost {
    return {
      state: 'claimed', channelId, storyId: story.id, feedId: feed.id,
      sourceNames: story.sources.map((source) => source.name), contentHash: story.contentHash, summaryLines: [], at: iso(),
    };
  }

  async function pause(run: ChannelRun, error: PostError, report: ChannelRunReport): Promise<void> {
    const reason = PAUSE_REASONS[error.kind as keyof typeof PAUSE_REASONS] ?? describeError(error);
    report.paused = reason;
    log.warn({ channelId: run.target.channelId, code: error.code, reason }, 'channel feeds paused');
    const paused = await deps.pauseFeeds(run.feeds, reason);
    for (const feed of paused) {
      // Keyed by the feed's last setup, so setting it up again re-arms the notice.
      try {
        await deps.notifier.notifyOnce(feed.guildId, `feed-paused:${feed.id}:${feed.updatedAt}`, pausedNoticeText(feed, reason));
      } catch (notifyError) {
        log.warn({ feedId: feed.id, err: describeError(notifyError) }, 'could not tell the server its feed was paused');
      }
    }
  }

  /** Claims the stories not yet posted here; the others are skipped (or updated, see below). */
  async function sortStories(run: ChannelRun, report: ChannelRunReport) {
    const { channelId } = run.target;
    const fresh: { story: Story; token: string }[] = [];
    const already: { story: Story; record: StoryPost }[] = [];
    for (const story of run.stories) {
      const record = await ledger.get(storyPostKey(channelId, story.id));
      if (record?.state === 'sent') {
        already.push({ story, record });
        continue;
      }
      if (run.updateOnly.has(story.id)) {
        report.skipped.push(story.id);
        continue;
      }
      const token = await claimStory(channelId, story.id);
      if (token === undefined) {
        report.skipped.push(story.id);
        continue;
      }
      // Re-read under the claim: another instance may have finished it in between.
      const again = await ledger.get(storyPostKey(channelId, story.id));
      if (again?.state === 'sent') {
        await release(channelId, story.id, token);
        report.skipped.push(story.id);
        continue;
      }
      fresh.push({ story, token });
    }
    return { fresh, already };
  }

  async function postOne(run: ChannelRun, story: Story): Promise<void> {
    const { target } = run;
    const feed = run.feedOf.get(story.id) as ChannelFeed;
    const key = storyPostKey(target.channelId, story.id);
    const record = baseRecord(target.channelId, feed, story);
    await ledger.set(key, record, deps.ledgerTtlMs);
    const summary = await deps.summaryOf(story);
    const wantsThread = target.kind === 'forum' || (target.kind === 'text' && feed.threads);
    const options = { nonce: nonceOf('story', key), ...(wantsThread ? { threadName: threadName(story) } : {}) };
    const posted = await withRetry(() => sink.post(target, storyMessage(story, summary, now()), options), { channelId: target.channelId, storyId: story.id });
    await ledger.set(key, {
      ...record, state: 'sent', messageId: posted.messageId, summaryLines: summaryLines(summary), at: iso(),
      ...(posted.threadId === undefined ? {} : { threadId: posted.threadId }),
    }, deps.ledgerTtlMs);
  }

  async function postFlood(run: ChannelRun, stories: Story[]): Promise<void> {
    const { target } = run;
    const keys = stories.map((story) => storyPostKey(target.channelId, story.id));
    const records = stories.map((story) => baseRecord(target.channelId, run.feedOf.get(story.id) as ChannelFeed, story));
    for (const [index, key] of keys.entries()) await ledger.set(key, records[index] as StoryPost, deps.ledgerTtlMs);
    const first = run.feedOf.get(stories[0]?.id ?? '');
    const what = first?.topic?.label ?? first?.source ?? '';
    const message: OutgoingMessage = floodMessage(stories, what);
    const nonce = nonceOf('flood', target.channelId, ...stories.map((story) => story.id));
    const threadOptions = target.kind === 'forum' ? { threadName: `${stories.length} new stories${what ? `: ${what}` : ''}`.slice(0, 100) } : {};
    const posted = await withRetry(() => sink.post(target, message, { nonce, ...threadOptions }), { channelId: target.channelId, flood: stories.length });
    for (const [index, key] of keys.entries()) {
      await ledger.set(key, { ...(records[index] as StoryPost), state: 'sent', messageId: posted.messageId, at: iso() }, deps.ledgerTtlMs);
    }
  }

  async function postUpdate(run: ChannelRun, story: Story, record: StoryPost): Promise<boolean> {
    if (record.threadId === undefined) return false;
    const sameSources = story.sources.length === record.sourceNames.length;
    if (sameSources && story.contentHash === record.contentHash) return false;
    const summary = story.contentHash === record.contentHash ? undefined : await deps.summaryOf(story);
    const message = updateMessage(record, story, summary);
    const next: StoryPost = {
      ...record, sourceNames: story.sources.map((source) => source.name), contentHash: story.contentHash, at: iso(),
      ...(summary ? { summaryLines: summaryLines(summary) } : {}),
    };
    if (!message) {
      await ledger.set(storyPostKey(run.target.channelId, story.id), next, deps.ledgerTtlMs);
      return false;
    }
    const key = storyPostKey(run.target.channelId, story.id);
    const token = await claims.claim(`feed-update:${key}:${story.contentHash}:${story.sources.length}`, CLAIM_TTL_MS);
    if (token === undefined) return false;
    const nonce = nonceOf('update', key, story.contentHash, next.sourceNames.join('|'));
    const threadId = record.threadId;
    await withRetry(() => sink.postInThread(threadId, message, { nonce }), { channelId: run.target.channelId, storyId: story.id });
    await ledger.set(key, next, deps.ledgerTtlMs);
    return true;
  }

  return {
    async deliver(run) {
      const report: ChannelRunReport = { channelId: run.target.channelId, posted: [], listed: [], updated: [], skipped: [] };
      const { fresh, already } = await sortStories(run, report);
      let current: Story | undefined;
      try {
        if (fresh.length > deps.maxPostsPerRun) {
          await postFlood(run, fresh.map((entry) => entry.story));
          report.listed.push(...fresh.map((entry) => entry.story.id));
        } else {
          for (const { story } of fresh) {
            current = story;
            await postOne(run, story);
            report.posted.push(story.id);
          }
        }
        for (const { story, record } of already) {
          current = story;
          if (await postUpdate(run, story, record)) report.updated.push(story.id);
        }
      } catch (error) {
        const done = new Set([...report.posted, ...report.listed]);
        // What was not posted is in flight no more: a later run (or /feed test) may post it.
        for (const { story } of fresh) {
          if (!done.has(story.id)) await ledger.delete(storyPostKey(run.target.channelId, story.id)).catch(() => false);
        }
        if (error instanceof PostError && isPermanentPostError(error.kind)) await pause(run, error, report);
        else {
          report.failed = describeError(error);
          log.error({ channelId: run.target.channelId, storyId: current?.id, err: describeError(error) }, 'feed post failed');
        }
      } finally {
        for (const { story, token } of fresh) await release(run.target.channelId, story.id, token);
      }
      return report;
    },
  };
}

function pausedNoticeText(feed: ChannelFeed, reason: string): string {
  return (
    `The channel feed ${feedLabel(feed)} in <#${feed.channelId}> is paused: ${reason}. ` +
    'Fix the channel or my permissions there, then run /feed resume (or /feed add again) to re-arm it.'
  );
}
