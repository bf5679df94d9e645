/**
 * Background work a service starts without awaiting it (delivery after an ingest), which must
 * still finish before the store closes.
 */
export interface InFlight {
  /** Remembers `work` until it settles, and returns it. */
  track<T>(work: Promise<T>): Promise<T>;
  /** Resolves once everything tracked has settled, including work started while waiting. */
  idle(): Promise<void>;
}

export function createInFlight(): InFlight {
  const pending = new Set<Promise<unknown>>();
  return {
    track(work) {
      pending.add(work);
      // Settling is all that matters here; the caller handles the outcome.
      void work.finally(() => pending.delete(work)).catch(() => {});
      return work;
    },
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
