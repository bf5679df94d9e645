/**
 * The offline section classifier: weighted term and phrase matching over stemmed text. A
 * term shared by several sections counts for each of them with a share of its weight, a
 * multiword phrase ("central bank", "world cup") outweighs a single word and hides the words
 * it is made of, and headline words count more than body words.
 */
import { stemTokens } from './stem.ts';
import type { Taxonomy } from './taxonomy.ts';

/** A section and how strongly the text points at it (a sum of term weights, not a probability). */
export interface SectionScore {
  key: string;
  score: number;
}

/** What the classifier reads: the headline and whatever body text there is. */
export interface ClassifierInput {
  title: string;
  text: string;
}

export interface SectionClassifierOptions {
  /** How much a headline occurrence counts against a body one. Default 2. */
  titleWeight?: number;
  /** Below this score a section is not assigned at all. Default 1.5. */
  minScore?: number;
  /** A second or third section is assigned when it scores at least this share of the top. Default 0.6. */
  relativeThreshold?: number;
  /** At most this many sections per story. Default 3. */
  maxLabels?: number;
  /** Multiplier per section key, for a known skew of the sources (default 1 each). */
  priors?: Record<string, number>;
}

/** Classifies text into taxonomy sections. */
export interface SectionClassifier {
  /** The assigned sections, best first: the top one if it clears minScore, and close runners-up. */
  classify(input: ClassifierInput): SectionScore[];
  /** Every section with a positive score, best first, without thresholds. */
  scores(input: ClassifierInput): SectionScore[];
}

interface Term {
  sections: string[];
  /** Per section, parallel to `sections`. */
  weights: number[];
}

interface Phrase extends Term {
  stems: string[];
}

const PHRASE_WEIGHT = 2;
const WEAK_WEIGHT = 0.4;

export function createSectionClassifier(
  taxonomy: Taxonomy,
  options: SectionClassifierOptions = {},
): SectionClassifier {
  const titleWeight = options.titleWeight ?? 2;
  const minScore = options.minScore ?? 1.5;
  const relativeThreshold = options.relativeThreshold ?? 0.6;
  const maxLabels = options.maxLabels ?? 3;
  const priors = options.priors ?? {};

  // Collect which sections use each stemmed term (and how strongly), then share its weight
  // among them: a word every section claims tells nothing.
  const owners = new Map<string, Map<string, number>>();
  for (const section of taxonomy.sections) {
    const lists: [string[], number][] = [
      [section.weakTerms, WEAK_WEIGHT],
      [section.terms, 1],
    ];
    for (const [terms, strength] of lists) {
      for (const term of terms) {
        const stems = stemTokens(term);
        if (stems.length === 0) continue;
        const id = stems.join(' ');
        const byKey = owners.get(id) ?? new Map<string, number>();
        byKey.set(section.key, Math.max(byKey.get(section.key) ?? 0, strength));
        owners.set(id, byKey);
      }
    }
  }
  const unigrams = new Map<string, Term>();
  const phrasesByFirst = new Map<string, Phrase[]>();
  for (const [id, byKey] of owners) {
    const stems = id.split(' ');
    const sections = [...byKey.keys()];
    const base = (stems.length > 1 ? PHRASE_WEIGHT : 1) / sections.length;
    const term = { sections, weights: sections.map((key) => base * (byKey.get(key) ?? 1)) };
    const first = stems[0];
    if (stems.length === 1 || first === undefined) {
      unigrams.set(id, term);
      continue;
    }
    const list = phrasesByFirst.get(first) ?? [];
    list.push({ ...term, stems });
    phrasesByFirst.set(first, list);
  }
  // Longest phrase first, so "world cup final" wins over "world cup".
  for (const list of phrasesByFirst.values()) list.sort((a, b) => b.stems.length - a.stems.length);

  function countHits(tokens: string[], fieldWeight: number, hits: Map<Term, number>): void {
    let i = 0;
    while (i < tokens.length) {
      const token = tokens[i] as string;
      const phrase = phrasesByFirst.get(token)?.find((p) => p.stems.every((s, j) => tokens[i + j] === s));
      if (phrase) {
        hits.set(phrase, (hits.get(phrase) ?? 0) + fieldWeight);
        i += phrase.stems.length;
        continue;
      }
      const term = unigrams.get(token);
      if (term) hits.set(term, (hits.get(term) ?? 0) + fieldWeight);
      i += 1;
    }
  }

  function scores(input: ClassifierInput): SectionScore[] {
    const hits = new Map<Term, number>();
    countHits(stemTokens(input.title), titleWeight, hits);
    countHits(stemTokens(input.text), 1, hits);
    const totals = new Map<string, number>();
    for (const [term, count] of hits) {
      // Repeats add evidence with diminishing returns, so one word said ten times cannot
      // outvote several different words of another section.
      const damped = count <= 1 ? count : 1 + Math.log(count);
      term.sections.forEach((key, i) => {
        totals.set(key, (totals.get(key) ?? 0) + (term.weights[i] ?? 0) * damped);
      });
    }
    return [...totals]
      .map(([key, score]) => ({ key, score: score * (priors[key] ?? 1) }))
      .filter((s) => s.score > 0)
      .sort((a, b) => b.score - a.score || a.key.localeCompare(b.key));
  }

  return {
    scores,
    classify(input) {
      const all = scores(input);
      const top = all[0];
      if (!top || top.score < minScore) return [];
      const cut = Math.max(minScore, top.score * relativeThreshold);
      return all.filter((s) => s.score >= cut).slice(0, maxLabels);
    },
  };
}
