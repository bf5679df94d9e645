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
}

export interface StatusService {
  snapshot(): Promise<StatusSnapshot>;
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
}

export function createStatusService(sources: StatusSources): StatusService {
  // What the store last said, so /status still answers (marked as such) while it is down.
  let lastCounts: [number, number, StatusSnapshot['summaries']] = [0, 0, { cached: 0, hits: 0, misses: 0 }];
  return {
    storeNotice: () => (sources.storeHealth ? storeNotice(sources.storeHealth()) : undefined),
    async snapshot() {
      const health = sources.storeHealth?.();
      const counted = await Promise.all([
        sources.countSources(),
        sources.countStories(),
        sources.summaries(),
      ]).catch((error: unknown) => {
        if (!(error instanceof StoreUnavailableError)) throw error;
        return undefined;
      });
      if (counted) lastCounts = counted;
      const [sourcesCount, stories, summaries] = lastCounts;
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
        sources: sourcesCount,
        stories,
        summaries,
      };
      if (lastIngest) snapshot.lastIngest = lastIngest;
      return snapshot;
    },
  };
}
