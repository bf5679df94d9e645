/**
 * Stored shapes of the digest area: a channel digest's configuration and the delivery ledger
 * record of one slot. Both are versioned (`v`) and validated with zod when read back from a
 * store, so an old or damaged record is migrated or rejected, never half-trusted.
 */
import { z } from 'zod';

/** How many story ids a digest remembers to keep stories from repeating in its channel. */
export const RECENT_STORY_LIMIT = 300;

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

function timeZoneIsKnown(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const quietDaySchema = z.enum(['line', 'skip']);
/** On a day with nothing new: post a short quiet line, or post nothing. Either way the slot is done. */
export type QuietDayMode = z.infer<typeof quietDaySchema>;

export const digestConfigSchema = z.object({
  v: z.literal(1),
  id: z.string().min(1),
  guildId: z.string().min(1),
  channelId: z.string().min(1),
  /** Local wall-clock time, 24-hour `HH:MM`. */
  time: z.string().regex(HH_MM, 'time must be HH:MM (24-hour)'),
  /** IANA timezone name, e.g. `Europe/Berlin`. */
  timezone: z.string().refine(timeZoneIsKnown, 'unknown IANA timezone'),
  /** Topic keys from the taxonomy; empty means every topic. */
  topics: z.array(z.string()),
  /** How many stories at most. */
  count: z.number().int().min(1).max(25),
  enabled: z.boolean(),
  /** Why Herald disabled it (unknown channel, lost access); shown by `/digest show`. */
  disabledReason: z.string().optional(),
  /** Overrides the deployment's default quiet-day mode for this digest. */
  quietDay: quietDaySchema.optional(),
  createdBy: z.string(),
  /** ISO-8601. Slots due before this instant never existed, so they are not "missed". */
  createdAt: z.string(),
  /** The last slot delivered (`<id>:<YYYY-MM-DD>`). A hint only; the ledger is authoritative. */
  lastSlot: z.string().optional(),
  /** ISO-8601 instant the last digest was composed; the next one holds stories since then. */
  lastDeliveredAt: z.string().optional(),
  /** Story ids of the last delivery. */
  lastStoryIds: z.array(z.string()).optional(),
  /** Story ids of the last few deliveries, newest first, at most RECENT_STORY_LIMIT. */
  recentStoryIds: z.array(z.string()).optional(),
});

/** One scheduled channel digest, as stored. */
export type DigestConfig = z.infer<typeof digestConfigSchema>;

export const deliveryRecordSchema = z.object({
  v: z.literal(1),
  /** `<digestId>:<YYYY-MM-DD>` (the digest's local date). */
  slot: z.string().min(1),
  digestId: z.string().min(1),
  /**
   * claimed: an instance started delivering (it may have crashed mid-way; the nonce makes a
   * retry safe). sent: delivered, never again. skipped: missed beyond the grace window, logged once.
   */
  state: z.enum(['claimed', 'sent', 'skipped']),
  messageIds: z.array(z.string()),
  storyIds: z.array(z.string()),
  /** The nonce of the first message; the rest derive from the slot the same way. */
  nonce: z.string(),
  /** ISO-8601 time of the last state change. */
  at: z.string(),
});

/** The delivery ledger's record for one slot. */
export type DeliveryRecord = z.infer<typeof deliveryRecordSchema>;

/**
 * Reads a stored digest, migrating older shapes. Records written before versioning carry no
 * `v`; they are otherwise identical, so they are upgraded in place.
 */
export function parseStoredDigest(raw: unknown): DigestConfig {
  if (raw !== null && typeof raw === 'object' && !('v' in raw)) {
    return digestConfigSchema.parse({ ...raw, v: 1 });
  }
  return digestConfigSchema.parse(raw);
}

export function parseDeliveryRecord(raw: unknown): DeliveryRecord {
  return deliveryRecordSchema.parse(raw);
}
