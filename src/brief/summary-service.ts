/**
 * One summary per story content, however many guilds, channels and users read it.
 *
 * The cache key names everything that changes the output: the story's content hash (an
 * updated story gets a new one), the summarizer, its model and its prompt version. Concurrent
 * readers of one key share a single in-flight promise, so a burst of /brief calls across
 * guilds makes one model call, not one per guild.
 */
import { parseStoredSummary } from './summary-types.ts';
import type { StorySummary, Summarizer, SummaryInput } from './summary-types.ts';
import type { RecordStore } from '../store/types.ts';

export interface SummaryServiceOptions {
  summarizer: Summarizer;
  cache: RecordStore<StorySummary>;
  /** Distinguishes configurations of the same summarizer kind (for example 'extractive-v1'). */
  summarizerId: string;
  /**
   * How long a fallback summary (the model path failed and the extractive one was used) is
   * cached, so a passing outage does not pin a story to the fallback for good. Default 15 min.
   */
  fallbackTtlMs?: number;
  /**
   * How long a summary is kept: as long as its story can be. Stories leave the store after
   * retention; their summaries must not stay behind for good. Default: no expiry.
   */
  ttlMs?: number;
  /** Told when a made summary could not be cached (the summary is still returned). */
  onSaveFailed?: (error: unknown) => void;
}

export interface SummaryStats {
  hits: number;
  misses: number;
  /** Summaries made by the summarizer (misses that completed). */
  made: number;
}

export interface SummaryService {
  /** The cached summary for this content, or a new one (stored before it is returned). */
  summaryFor(story: { contentHash: string }, input: SummaryInput): Promise<StorySummary>;
  /** The cached summary only; never calls the summarizer. */
  cached(story: { contentHash: string }): Promise<StorySummary | undefined>;
  stats(): SummaryStats;
}

export function createSummaryService(options: SummaryServiceOptions): SummaryService {
  const { summarizer, cache } = options;
  const inFlight = new Map<string, Promise<StorySummary>>();
  const stats: SummaryStats = { hits: 0, misses: 0, made: 0 };

  const keyOf = (contentHash: string): string =>
    `${contentHash}:${options.summarizerId}:${summarizer.model}:${summarizer.promptVersion}`;

  async function read(key: string): Promise<StorySummary | undefined> {
    // A record of an older shape is treated as absent and redone, not served half-valid.
    return parseStoredSummary(await cache.get(key));
  }

  async function make(key: string, input: SummaryInput): Promise<StorySummary> {
    const existing = await read(key);
    if (existing) {
      stats.hits++;
      return existing;
    }
    stats.misses++;
    const summary = await summarizer.summarize(input);
    stats.made++;
    // Reading never needs to write: a store that is full or read-only costs the cache, not the answer.
    const ttlMs =
      summary.summarizer === summarizer.id ? options.ttlMs : (options.fallbackTtlMs ?? 15 * 60_000);
    await cache.set(key, summary, ttlMs).catch((error: unknown) => options.onSaveFailed?.(error));
    return summary;
  }

  return {
    summaryFor(story, input) {
      const key = keyOf(story.contentHash);
      const pending = inFlight.get(key);
      if (pending) {
        stats.hits++;
        return pending;
      }
      const promise = make(key, input).finally(() => inFlight.delete(key));
      inFlight.set(key, promise);
      return promise;
    },
    async cached(story) {
      return read(keyOf(story.contentHash));
    },
    stats: () => ({ ...stats }),
  };
}
