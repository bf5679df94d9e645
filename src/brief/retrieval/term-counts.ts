/**
 * Per-term document counts of the answer index, held in memory between questions.
 *
 * FTS5's vocabulary table counts a term's documents by walking the term's whole doclist: for
 * a stem in most passages of a 100,000-article store that is tens of milliseconds, per
 * question, per term. The counts change only when the index is written, so they are kept
 * here and moved by exactly the passages and headlines each write adds or removes (the
 * writer knows their terms); a write by another process is noticed by the index's
 * generation token and empties the cache (see fts-story-index.ts).
 */

/** Documents holding a term, per column of the passage and headline tables. */
export interface TermDocumentCounts {
  sentence: number;
  window: number;
  title: number;
  entities: number;
}

export type CountedColumn = keyof TermDocumentCounts;

export interface TermCounts {
  /** The counts of a term: cached, or read from the vocabulary once. */
  get(term: string): TermDocumentCounts;
  /** One document added (+1) or removed (-1) in `column`, holding the space-separated `terms`. */
  adjust(column: CountedColumn, terms: string, delta: 1 | -1): void;
  /** True when nothing is cached (writes need not be tracked). */
  isEmpty(): boolean;
  clear(): void;
}

/** Enough for every distinct stem of many thousands of questions; past it the cache starts over. */
const MAX_TERMS = 50_000;

export function createTermCounts(read: (term: string) => TermDocumentCounts): TermCounts {
  const cache = new Map<string, TermDocumentCounts>();
  return {
    get(term) {
      let counts = cache.get(term);
      if (counts === undefined) {
        counts = read(term);
        if (cache.size >= MAX_TERMS) cache.clear();
        cache.set(term, counts);
      }
      return counts;
    },
    adjust(column, terms, delta) {
      if (cache.size === 0 || terms === '') return;
      // A document counts once per term, however often the term occurs in it.
      for (const term of new Set(terms.split(' '))) {
        const counts = cache.get(term);
        if (counts !== undefined) counts[column] += delta;
      }
    },
    isEmpty: () => cache.size === 0,
    clear: () => cache.clear(),
  };
}
