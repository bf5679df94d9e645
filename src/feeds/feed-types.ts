/**
 * Stored shapes of channel feeds: the feed itself (a channel following a topic and/or a source,
 * with optional include/exclude filters), and the per-channel record of each story posted,
 * which is both the exactly-once ledger entry and the story's thread bookkeeping.
 */
import { z } from 'zod';
import type { RecordCodec } from '../store/record-store.ts';
import { templateStyles } from '../render/templates.ts';
import { channelProblemSchema } from '../delivery/problem.ts';

import { MAX_MIN_SOURCES } from '../render/coverage.ts';

const isoTime = z.string().refine((value) => Number.isFinite(Date.parse(value)), 'an ISO-8601 time');

/** Where a feed posts: a text channel (messages, optionally a thread each), a forum (a post each), or the terminal. */
export const feedChannelKinds = ['text', 'forum', 'terminal'] as const;
export type FeedChannelKind = (typeof feedChannelKinds)[number];

export const feedTopicSchema = z.object({
  /** Section key or entity topic key, as /subscribe stores it. */
  key: z.string().min(1),
  label: z.string().min(1),
  kind: z.enum(['section', 'entity']),
});
export type FeedTopic = z.infer<typeof feedTopicSchema>;

export const channelFeedSchema = z.object({
  id: z.string().min(1),
  guildId: z.string().min(1),
  channelId: z.string().min(1),
  channelKind: z.enum(feedChannelKinds),
  topic: feedTopicSchema.exactOptional(),
  /** A source's name as configured or added with /sources; matched case-insensitively. */
  source: z.string().min(1).exactOptional(),
  /** As typed: comma-separated keywords or a /regex/. */
  include: z.string().min(1).exactOptional(),
  exclude: z.string().min(1).exactOptional(),
  /** Text channels: start a thread from each story's message (forums always make a post). */
  threads: z.boolean(),
  createdBy: z.string(),
  createdAt: isoTime,
  updatedAt: isoTime,
  /** Set by /feed pause (by: 'admin') or by a fault Discord reported (by: 'fault'). */
  paused: z
    .object({
      /** An admin's words, or (by a fault) the problem's kind. */
      reason: z.string(),
      at: isoTime,
      by: z.enum(['admin', 'fault']),
      /** By a fault: what is wrong with the channel, for the surface to word. */
      problem: channelProblemSchema.exactOptional(),
    })
    .exactOptional(),
  /** Stories first seen before this instant are never posted by this feed (no backfill). */
  since: isoTime,
  /** Stories a fault kept from being posted: tried again with the next run (at most 50). */
  pendingStoryIds: z.array(z.string()).exactOptional(),
  /** How a story's post looks: an embed (the default), a plain message, or one line. */
  style: z.enum(templateStyles).exactOptional(),
  /** The admin's template, checked when set (src/render/templates.ts); absent: the style's default. */
  template: z.string().min(1).exactOptional(),
  /** A role pinged in each new story's post (never in updates, flood lists or notices). */
  mention: z.object({ roleId: z.string().min(1), name: z.string() }).exactOptional(),
  /** Post a story only once this many different outlets carry it. */
  minSources: z.number().int().min(2).max(MAX_MIN_SOURCES).exactOptional(),
  /** Forum channels: a section key mapped to the name of the forum tag its stories get. */
  tags: z.array(z.object({ section: z.string().min(1), tag: z.string().min(1) })).exactOptional(),
});
export type ChannelFeed = z.infer<typeof channelFeedSchema>;

/**
 * One story in one channel, keyed `${channelId}:${storyId}`. 'claimed' is written before
 * posting (a crash leaves it in flight, the nonce keeps a retry from doubling); 'sent' after.
 * Stories listed in a flood message are 'sent' without a thread of their own.
 */
export const storyPostSchema = z.object({
  state: z.enum(['claimed', 'sent']),
  channelId: z.string(),
  storyId: z.string(),
  feedId: z.string(),
  messageId: z.string().exactOptional(),
  /** The story's thread (text channel with threads, or a forum post). */
  threadId: z.string().exactOptional(),
  /** What the channel has been told so far, so an update says only what is new. */
  sourceNames: z.array(z.string()),
  contentHash: z.string(),
  summaryLines: z.array(z.string()),
  at: isoTime,
});
export type StoryPost = z.infer<typeof storyPostSchema>;

export const channelFeedCodec: RecordCodec<ChannelFeed> = { version: 1, schema: channelFeedSchema };
export const storyPostCodec: RecordCodec<StoryPost> = { version: 1, schema: storyPostSchema };

export function storyPostKey(channelId: string, storyId: string): string {
  return `${channelId}:${storyId}`;
}
