import type { ShardState, ShardStatusProvider } from './shard-status.ts';
import { StoreUnavailableError } from '../store/settle-within.ts';
import { storeNotice } from '../store/timeouts.ts';
import type { StoreHealth } from '../store/timeouts.ts';
import type { StoreKind } from '../store/types.ts';

/** What /status and `npm start -- status` report. */
export interface StatusSnapshot {
  uptimeSeconds: number;
  /** `problem` while the store is not answering or refuses writes. */
  store: { kind: StoreKind; location: string; problem?: string };
  model: {
    mode: 'extractive' | 'model';
    model?: string;
    calls: number;
    failures: number;
    promptTokens: number;
    completionTokens: number;
  };
  sources: number;
  stories: number;
  summaries: { cached: number; hits: number; misses: number };
  lastIngest?: { at: string; added: number; merged: number; skipped: number; failed: number };
  /** The gateway shards this instance runs (absent off Discord). */
  shards?: ShardState[];
}

/** The snapshot without the summary cache's size. */
export type StatusGlance = Omit<StatusSnapshot, 'summaries'>;

export interface StatusService {
  snapshot(): Promise<StatusSnapshot>;
  /**
   * The snapshot less the summary cache's size, which only a walk over every cached summary
   * tells: what a page loaded again and again (the panel's overview) reads, in bounded work.
   */
  glance(): Promise<StatusGlance>;
  /** One line for readers while the store cannot save new items or is not answering. */
  storeNotice?(): string | undefined;
}

export interface StatusSources {
  startedAt: number;
  now: () => number;
  store: { kind: StoreKind; location: string };
  /** Whether the store answers and takes writes; absent in tests that do not care. */
  storeHealth?: () => StoreHealth;
  model: () => StatusSnapshot['model'];
  countSources: () => Promise<number>;
  countStories: () => Promise<number>;
  summaries: () => Promise<StatusSnapshot['summaries']>;
  lastIngest: () => Promise<StatusSnapshot['lastIngest'] | undefined>;
  shards?: ShardStatusProvider;
}

export function createStatusService(sources: StatusSources): StatusService {
  // What the store last said, so /status still answers (marked as such) while it is down.
  let lastCounts = { sources: 0, stories: 0, summaries: { cached: 0, hits: 0, misses: 0 } };

  /** The store's counts, or undefined (the last ones stand) while it is unavailable. */
  async function count<T>(read: () => Promise<T>): Promise<T | undefined> {
    return read().catch((error: unknown) => {
      if (!(error instanceof StoreUnavailableError)) throw error;
      return undefined;
    });
  }

  async function take(withSummaries: boolean): Promise<StatusSnapshot> {
    const health = sources.storeHealth?.();
    const counted = await count(() =>
      Promise.all([
        sources.countSources(),
        sources.countStories(),
        withSummaries ? sources.summaries() : Promise.resolve(lastCounts.summaries),
      ]),
    );
    if (counted) lastCounts = { sources: counted[0], stories: counted[1], summaries: counted[2] };
    const lastIngest = await sources.lastIngest();
    const store: StatusSnapshot['store'] = { ...sources.store };
    const after = sources.storeHealth?.() ?? health;
    if (after && (!after.answering || !after.writable)) {
      store.problem = `${after.answering ? 'refusing writes' : 'not answering, retrying'} since ${after.since ?? 'now'}${counted ? '' : '; counts are from its last answer'}`;
    }
    const snapshot: StatusSnapshot = {
      uptimeSeconds: Math.max(0, Math.round((sources.now() - sources.startedAt) / 1000)),
      store,
      model: sources.model(),
      sources: lastCounts.sources,
      stories: lastCounts.stories,
      summaries: lastCounts.summaries,
    };
    if (lastIngest) snapshot.lastIngest = lastIngest;
    if (sources.shards) snapshot.shards = sources.shards.shards();
    return snapshot;
  }

  return {
    storeNotice: () => (sources.storeHealth ? storeNotice(sources.storeHealth()) : undefined),
    snapshot: () => take(true),
    async glance() {
      const { summaries: _notCounted, ...rest } = await take(false);
      return rest;
    },
  };
}
