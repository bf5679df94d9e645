import type { StoreKind } from './store/types.ts';

/** What /status and `npm start -- status` report. */
export interface StatusSnapshot {
  uptimeSeconds: number;
  store: { kind: StoreKind; location: string };
  model: { mode: 'extractive' | 'model'; model?: string; calls: number; failures: number; promptTokens: number; completionTokens: number };
  sources: number;
  stories: number;
  summaries: { cached: number; hits: number; misses: number };
  lastIngest?: { at: string; added: number; merged: number; skipped: number; failed: number };
}

export interface StatusService {
  snapshot(): Promise<StatusSnapshot>;
}


export interface StatusSources {
  startedAt: number;
  now: () => number;
  store: { kind: StoreKind; location: string };
  model: () => StatusSnapshot['model'];
  countSources: () => Promise<number>;
  countStories: () => Promise<number>;
  summaries: () => Promise<StatusSnapshot['summaries']>;
  lastIngest: () => Promise<StatusSnapshot['lastIngest'] | undefined>;
}

export function createStatusService(sources: StatusSources): StatusService {
  return {
    async snapshot() {
      const [sourcesCount, stories, summaries, lastIngest] = await Promise.all([
        sources.countSources(),
        sources.countStories(),
        sources.summaries(),
        sources.lastIngest(),
      ]);
      const snapshot: StatusSnapshot = {
        uptimeSeconds: Math.max(0, Math.round((sources.now() - sources.startedAt) / 1000)),
        store: sources.store,
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
