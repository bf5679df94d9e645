/**
 * BM25+ with minisearch's parameters and rules: per query term over distinct-token field
 * lengths, summed (a repeated query term counts again), times the number of distinct query
 * terms matched. Pure: the index hands in its statistics.
 */
import type { TermDocumentCounts } from './term-counts.ts';

/** minisearch's BM25+ parameters. */
export const BM25 = { k: 1.2, b: 0.7, d: 0.5 };

/** Collection statistics, from the index's counters. */
export interface Bm25Stats {
  passages: number;
  /** Articles, each with one headline (title and entity list). */
  heads: number;
  /** Total distinct-token lengths, summed over passages, titles and entity lists. */
  passageLength: number;
  titleLength: number;
  entitiesLength: number;
}

/** One field of an article: its folded texts and its length. */
export interface ScoredField {
  /** Folded terms, space-separated, one string per part (a sentence of a window, a title). */
  folded: readonly string[];
  length: number;
}

export interface Bm25Scorer {
  /** Passages (sentences and windows) holding `term`. */
  passagesWith(term: string): number;
  /** Titles plus entity lists holding `term`. */
  headlinesWith(term: string): number;
  /** A passage's score; 0 when it holds no query term. */
  passage(field: ScoredField): number;
  /** An article's headline score (title, and entities weighted by `entityBoost`); 0 when neither matches. */
  head(title: ScoredField, entities: ScoredField): number;
}

const idfOf = (df: number, total: number): number => Math.log(1 + (total - df + 0.5) / (df + 0.5));

export function createBm25Scorer(options: {
  queryTerms: readonly string[];
  stats: Bm25Stats;
  counts: (term: string) => TermDocumentCounts;
  entityBoost: number;
}): Bm25Scorer {
  const { queryTerms, stats, entityBoost } = options;
  const distinct = [...new Set(queryTerms)];
  const passages = Math.max(1, stats.passages);
  const heads = Math.max(1, stats.heads);
  const avgPassage = stats.passageLength / passages || 1;
  const avgTitle = stats.titleLength / heads || 1;
  const avgEntities = stats.entitiesLength / heads || 1;
  const counts = new Map(distinct.map((term) => [term, options.counts(term)]));
  const passageDf = new Map(
    distinct.map((term) => [term, (counts.get(term)?.sentence ?? 0) + (counts.get(term)?.window ?? 0)]),
  );
  const passageIdf = new Map(distinct.map((term) => [term, idfOf(passageDf.get(term) ?? 0, passages)]));
  const titleIdf = new Map(distinct.map((term) => [term, idfOf(counts.get(term)?.title ?? 0, heads)]));
  const entityIdf = new Map(distinct.map((term) => [term, idfOf(counts.get(term)?.entities ?? 0, heads)]));

  /** How often each query term occurs in the folded texts. */
  function termFrequencies(folded: readonly string[]): Map<string, number> {
    const frequencies = new Map<string, number>();
    for (const text of folded) {
      if (text === '') continue;
      for (const term of text.split(' '))
        if (passageIdf.has(term)) frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
    }
    return frequencies;
  }

  /** The field's BM25+ sum over the query's terms; adds the terms it holds to `matched`. */
  function fieldScore(
    field: ScoredField,
    idf: Map<string, number>,
    avgLength: number,
    boost: number,
    matched: Set<string>,
  ): number {
    const frequencies = termFrequencies(field.folded);
    let score = 0;
    for (const term of queryTerms) {
      const tf = frequencies.get(term) ?? 0;
      if (tf === 0) continue;
      matched.add(term);
      const norm = BM25.k * (1 - BM25.b + (BM25.b * field.length) / avgLength);
      score += boost * (idf.get(term) ?? 0) * (BM25.d + (tf * (BM25.k + 1)) / (tf + norm));
    }
    return score;
  }

  return {
    passagesWith: (term) => passageDf.get(term) ?? 0,
    headlinesWith: (term) => (counts.get(term)?.title ?? 0) + (counts.get(term)?.entities ?? 0),
    passage(field) {
      const matched = new Set<string>();
      const score = fieldScore(field, passageIdf, avgPassage, 1, matched);
      return score * (matched.size || 1);
    },
    head(title, entities) {
      const matched = new Set<string>();
      const score =
        fieldScore(title, titleIdf, avgTitle, 1, matched) +
        fieldScore(entities, entityIdf, avgEntities, entityBoost, matched);
      return matched.size === 0 ? 0 : score * matched.size;
    },
  };
}
