/**
 * ROUGE scores (Lin, 2004) with Herald's own tokenization: lower-case letter/digit tokens from
 * tokenizeWords, no stemming, no stopword removal. Scores are fractions in [0, 1].
 *
 * - ROUGE-N: clipped n-gram overlap; precision over candidate n-grams, recall over reference.
 * - ROUGE-L: longest common subsequence over the whole token sequence (sentence-level).
 * - ROUGE-Lsum: summary-level LCS: for every reference sentence, the union of its LCS hits
 *   with every candidate sentence, each token counted at most as often as it occurs on both
 *   sides. This is the variant usually reported for CNN/DM.
 */
import { splitSentences, tokenizeWords } from './sentences.ts';

export interface RougeScore {
  precision: number;
  recall: number;
  f1: number;
}

export interface RougeScores {
  rouge1: RougeScore;
  rouge2: RougeScore;
  rougeL: RougeScore;
  rougeLsum: RougeScore;
}

function score(hits: number, candidateTotal: number, referenceTotal: number): RougeScore {
  const precision = candidateTotal === 0 ? 0 : hits / candidateTotal;
  const recall = referenceTotal === 0 ? 0 : hits / referenceTotal;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const gram = tokens.slice(i, i + n).join(' ');
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

/** ROUGE-N over token arrays. */
export function rougeNTokens(
  candidate: readonly string[],
  reference: readonly string[],
  n: number,
): RougeScore {
  const cand = ngramCounts(candidate, n);
  const ref = ngramCounts(reference, n);
  let hits = 0;
  for (const [gram, count] of cand) hits += Math.min(count, ref.get(gram) ?? 0);
  const total = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
  return score(hits, total(cand), total(ref));
}

/** LCS table between two token arrays; returns the table for backtracking. */
function lcsTable(a: readonly string[], b: readonly string[]): Uint32Array {
  const w = b.length + 1;
  const table = new Uint32Array((a.length + 1) * w);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      table[i * w + j] =
        a[i - 1] === b[j - 1]
          ? (table[(i - 1) * w + j - 1] ?? 0) + 1
          : Math.max(table[(i - 1) * w + j] ?? 0, table[i * w + j - 1] ?? 0);
    }
  }
  return table;
}

/** Length of the longest common subsequence. */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  return lcsTable(a, b)[a.length * (b.length + 1) + b.length] ?? 0;
}

/** Indexes into `ref` of one LCS between `ref` and `cand`. */
function lcsIndexes(ref: readonly string[], cand: readonly string[]): number[] {
  const w = cand.length + 1;
  const table = lcsTable(ref, cand);
  const at = (i: number, j: number): number => table[i * w + j] ?? 0;
  const picked: number[] = [];
  let i = ref.length;
  let j = cand.length;
  while (i > 0 && j > 0) {
    if (ref[i - 1] === cand[j - 1]) {
      picked.push(i - 1);
      i--;
      j--;
    } else if (at(i - 1, j) >= at(i, j - 1)) i--;
    else j--;
  }
  return picked.reverse();
}

/** Sentence-level ROUGE-L over token arrays. */
export function rougeLTokens(candidate: readonly string[], reference: readonly string[]): RougeScore {
  return score(lcsLength(candidate, reference), candidate.length, reference.length);
}

/** Summary-level ROUGE-Lsum over sentence token arrays (union LCS, clipped token counts). */
export function rougeLsumTokens(candidate: readonly string[][], reference: readonly string[][]): RougeScore {
  const countOf = (sentences: readonly string[][]): Map<string, number> => {
    const m = new Map<string, number>();
    for (const s of sentences) for (const t of s) m.set(t, (m.get(t) ?? 0) + 1);
    return m;
  };
  const candLeft = countOf(candidate);
  const refLeft = countOf(reference);
  let hits = 0;
  for (const refSentence of reference) {
    const union = new Set<number>();
    for (const candSentence of candidate)
      for (const idx of lcsIndexes(refSentence, candSentence)) union.add(idx);
    for (const idx of [...union].sort((a, b) => a - b)) {
      const token = refSentence[idx] ?? '';
      const r = refLeft.get(token) ?? 0;
      const c = candLeft.get(token) ?? 0;
      if (r > 0 && c > 0) {
        hits++;
        refLeft.set(token, r - 1);
        candLeft.set(token, c - 1);
      }
    }
  }
  const len = (s: readonly string[][]): number => s.reduce((a, x) => a + x.length, 0);
  return score(hits, len(candidate), len(reference));
}

/**
 * All ROUGE variants for a candidate against a reference. Sentences are given as arrays (the
 * caller's own split); for plain strings, splitSentences is used.
 */
export function rouge(
  candidate: string | readonly string[],
  reference: string | readonly string[],
): RougeScores {
  const sentencesOf = (x: string | readonly string[]): string[] =>
    typeof x === 'string' ? splitSentences(x) : [...x];
  const candSentences = sentencesOf(candidate).map(tokenizeWords);
  const refSentences = sentencesOf(reference).map(tokenizeWords);
  const cand = candSentences.flat();
  const ref = refSentences.flat();
  return {
    rouge1: rougeNTokens(cand, ref, 1),
    rouge2: rougeNTokens(cand, ref, 2),
    rougeL: rougeLTokens(cand, ref),
    rougeLsum: rougeLsumTokens(candSentences, refSentences),
  };
}
