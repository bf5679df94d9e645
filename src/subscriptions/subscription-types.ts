/**
 * Stored shapes of the subscriptions area. One record per reader: the delivery mode (immediate
 * or a daily digest at a local time) belongs to the subscriber, not to each topic, so a reader
 * who follows five topics still gets one DM per ingest run or one digest a day.
 */
import { z } from 'zod';
import { entityTopicKey } from '../brief/topics/entities.ts';
import type { RecordCodec } from '../store/record-store.ts';

export const deliveryModes = ['immediate', 'daily'] as const;
export type DeliveryMode = (typeof deliveryModes)[number];

const isoTime = z.string().refine((value) => Number.isFinite(Date.parse(value)), 'an ISO-8601 time');

export const followedTopicSchema = z
  .object({
    /** Section key or entity topic key (entityTopicKey), what the matcher indexes. */
    key: z.string().min(1),
    /** How Herald names it back to the reader ("Business", "Syria"). */
    label: z.string().min(1),
    kind: z.enum(['section', 'entity']),
    addedAt: isoTime,
  })
  .transform((topic) => {
    // Migrated on read: a name followed before possessives were folded ("syria’s") is the name.
    if (topic.kind !== 'entity') return topic;
    const key = entityTopicKey(topic.key);
    return key.length > 0 && key !== topic.key
      ? { ...topic, key, label: topic.label.replace(/['’]s$/u, '') }
      : topic;
  });
export type FollowedTopic = z.infer<typeof followedTopicSchema>;

export const userSubscriptionsSchema = z.object({
  userId: z.string().min(1),
  topics: z.array(followedTopicSchema),
  mode: z.enum(deliveryModes),
  /** Daily mode: local `HH:MM` and IANA zone of the digest. */
  time: z.string().regex(/^\d{2}:\d{2}$/),
  timezone: z.string().min(1),
  createdAt: isoTime,
  updatedAt: isoTime,
  /** Daily mode: the digest holds stories first seen after this instant. */
  dailySince: isoTime,
  /** Daily mode: the local date (`YYYY-MM-DD`) of the last digest run, sent or quiet. */
  lastDigestDate: z.string().exactOptional(),
  /**
   * The servers the reader subscribed from: their DMs may carry stories from those servers'
   * own feeds as well as shared ones.
   */
  guildIds: z.array(z.string()).exactOptional(),
  /** Set when DMs failed for good (closed DMs); /subscribe clears it. */
  paused: z.object({ reason: z.string(), at: isoTime }).exactOptional(),
  /** The reader has not been told about the pause yet (told once, on their next command). */
  pausedNoticePending: z.boolean().exactOptional(),
  /** Stories whose DM failed for a passing reason, retried on the next run. */
  pendingStoryIds: z.array(z.string()).exactOptional(),
});
export type UserSubscriptions = z.infer<typeof userSubscriptionsSchema>;

/** One entry of the sent ledger, keyed `${userId}:${storyId}`. */
export const sentEntrySchema = z.object({
  at: isoTime,
  via: z.enum(deliveryModes),
});
export type SentEntry = z.infer<typeof sentEntrySchema>;

export const userSubscriptionsCodec: RecordCodec<UserSubscriptions> = {
  version: 1,
  schema: userSubscriptionsSchema,
};
export const sentEntryCodec: RecordCodec<SentEntry> = { version: 1, schema: sentEntrySchema };

/** The sent ledger's key for one story and reader. */
export function sentKey(userId: string, storyId: string): string {
  return `${userId}:${storyId}`;
}
