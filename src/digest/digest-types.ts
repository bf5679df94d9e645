/**
 * Stored shapes of the digest area: a channel digest's configuration (its slots' delivery is
 * recorded in the shared delivery ledger, src/delivery/ledger.ts). It is versioned (`v`) and validated with zod when read back from a
 * store, so an old or damaged record is migrated or rejected, never half-trusted.
 */
import { z } from 'zod';
import { TERMINAL_CHANNEL_ID, TERMINAL_GUILD_ID } from '../delivery/destination.ts';
import type { DeliverySurface } from '../delivery/sink.ts';
import type { RecordStore } from '../store/types.ts';
import { channelProblemSchema } from '../delivery/problem.ts';
import { MAX_MIN_SOURCES } from '../render/coverage.ts';
import { templateStyles } from '../render/templates.ts';

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
  /** Why it is off, in words: an admin's /digest disable, or a fault recorded before problems were values. */
  disabledReason: z.string().optional(),
  /** Why Herald turned it off (the channel gone, a permission lost); worded by `/digest show`. */
  disabledProblem: channelProblemSchema.optional(),
  /** How each story reads: an embed (the default), plain text, or one line (src/render/templates.ts). */
  style: z.enum(templateStyles).optional(),
  /** The admin's template for each story, checked when set; absent: the style's default. */
  template: z.string().min(1).optional(),
  /** Only stories this many different outlets carry. */
  minSources: z.number().int().min(2).max(MAX_MIN_SOURCES).optional(),
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

/** True for the digest of the terminal's own "channel". */
export function isTerminalDigest(digest: Pick<DigestConfig, 'guildId' | 'channelId'>): boolean {
  return digest.guildId === TERMINAL_GUILD_ID && digest.channelId === TERMINAL_CHANNEL_ID;
}

/**
 * The digest store as one surface should schedule it. The terminal mode and the Discord mode may
 * share a store file: the terminal must not "post" a Discord channel's digest into itself, and
 * Discord must not try to post to the terminal. Only listing is filtered; reads and writes by id
 * pass through, so disabling and /digest commands work as usual.
 */
export function digestsForSurface(
  store: RecordStore<DigestConfig>,
  surface: DeliverySurface,
): RecordStore<DigestConfig> {
  const wanted = surface === 'terminal';
  return {
    get: (key) => store.get(key),
    set: (key, value, ttlMs) => store.set(key, value, ttlMs),
    delete: (key) => store.delete(key),
    async *entries() {
      for await (const entry of store.entries()) {
        if (isTerminalDigest(entry[1]) === wanted) yield entry;
      }
    },
  };
}
