/**
 * The offline summarizer: picks 2–4 sentences of the article itself.
 *
 * News puts the gist first, so position is the strongest single signal (hence Lead-3's
 * strength). We add what lead position misses: centrality (how much a sentence shares with
 * the rest of the article, TF-IDF cosine within the article), overlap with the title, and
 * the article's recurring names and numbers; then pick with MMR so two sentences saying the
 * same thing do not both take space, and keep a character budget that fits an embed.
 */
import { articleSentences, capitalizedNames, isBoilerplate, keyFactsOf, numbersIn } from './article-text.ts';
import { STOPWORDS, tokenizeWords } from './sentences.ts';
import { STORY_SUMMARY_VERSION } from './summary-types.ts';
import type { StorySummary, Summarizer, SummaryInput } from './summary-types.ts';

/** Weights of the sentence score; defaults chosen on the CNN/DM train items only. */
export interface ExtractiveWeights {
  position: number;
  centrality: number;
  title: number;
  entities: number;
}

export interface ExtractiveOptions {
  /** Most sentences to pick (default 3, at most 4). */
  maxSentences?: number;
  /** Character budget for the joined sentences (default 700; Infinity for none). */
  maxChars?: number;
  weights?: Partial<ExtractiveWeights>;
  /** MMR trade-off: 1 = score only, 0 = novelty only (default 0.5). */
  mmrLambda?: number;
  /** How fast the position prior decays, in sentences (default 5). */
  positionScale?: number;
}

// Tuned by a small grid on the 200 CNN/DM *train* items (which have no titles, so `title`
// keeps a hand-set value). Redundancy control (MMR lambda 0.5) mattered more than any weight.
const DEFAULT_WEIGHTS: ExtractiveWeights = { position: 1, centrality: 1, title: 0.3, entities: 0.1 };

interface Candidate {
  index: number;
  text: string;
  vector: Map<string, number>;
  score: number;
  /** The sentence before, when this one opens with a personal pronoun ("He said") and so reads only after it. */
  leansOn?: Candidate;
  /** Full names this sentence calls by surname alone, introduced earlier in the article. */
  surnameOf: SurnameReference[];
}

/** A full name a sentence calls by surname alone, and the sentence (kept index) that introduced it. */
interface SurnameReference {
  full: string;
  introducedAt: number;
}

/**
 * Personal pronouns that open a sentence point at someone named before. Wider openers ("It",
 * "This", "But") were tried too: on the CNN/DM train items they cost three times as much
 * ROUGE for sentences that mostly read fine alone.
 */
const BACK_REFERENCE = /^(?:he|she|they|his|her|their)\b/i;

/**
 * Pronouns that may not open a summary without the sentence before them: a summary is read on
 * its own, and its first "It" or "He" has nothing to point at.
 */
const OPENING_PRONOUN = /^["“‘']?(?:he|she|it|they|his|her|its|their|him|them)\b/i;

const OPENS_WITH_QUOTE = /^\s*["“‘']/u;
const QUOTED = /["“][^"”]*["”]|‘[^’]*’(?!\w)/gu;
const ATTRIBUTION =
  /\b(?:said|says|say|told|tells|added|adds|asked|wrote|writes|explained|insisted|warned|claimed|claims|stated|declared|according to|tweeted|posted|admitted|argued|recalled|replied)\b/iu;

/**
 * A sentence that is a quotation with its speaker left to another sentence ("“We always stood
 * for …”" after "Putin told reporters:"). On its own in a summary nobody is speaking, so it is
 * never picked.
 */
export function isUnattributedQuote(sentence: string): boolean {
  if (!OPENS_WITH_QUOTE.test(sentence)) return false;
  return !ATTRIBUTION.test(sentence.replace(QUOTED, ' '));
}

/**
 * For each sentence, the full names ("Helga Moravec") it mentions only by surname ("Moravec")
 * that an earlier sentence or the headline introduced in full.
 */
function surnameReferences(
  sentences: readonly string[],
  namesIn: readonly string[][],
  title: string,
): SurnameReference[][] {
  const introducedAt = new Map<string, number>();
  // Full names by their last word, in the order they were introduced: a lookup per surname
  // instead of a walk over every name introduced so far.
  const bySurname = new Map<string, string[]>();
  const introduce = (name: string, at: number): void => {
    if (!name.includes(' ') || introducedAt.has(name)) return;
    introducedAt.set(name, at);
    const surname = name.slice(name.lastIndexOf(' ') + 1);
    bySurname.set(surname, [...(bySurname.get(surname) ?? []), name]);
  };
  for (const name of capitalizedNames(title)) introduce(name, -1);
  return sentences.map((text, k) => {
    const names = namesIn[k] ?? [];
    for (const name of names) introduce(name, k);
    const refs: SurnameReference[] = [];
    for (const name of names) {
      if (name.includes(' ')) continue;
      for (const full of bySurname.get(name) ?? []) {
        const at = introducedAt.get(full) ?? -1;
        if (at >= 0 && at < k && !text.includes(full)) refs.push({ full, introducedAt: at });
      }
    }
    return refs;
  });
}

type Vector = Map<string, number>;

function cosine(a: Vector, b: Vector): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [t, w] of a) {
    na += w * w;
    const o = b.get(t);
    if (o !== undefined) dot += w * o;
  }
  for (const w of b.values()) nb += w * w;
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

function norm(v: Vector): number {
  let sum = 0;
  for (const w of v.values()) sum += w * w;
  return Math.sqrt(sum);
}

const proseCache = new WeakMap<readonly string[], { text: string; index: number }[]>();

/**
 * The article's sentences that are not boilerplate, with their position; split once per
 * article even though picking and naming both need them.
 */
function proseSentences(paragraphs: readonly string[]): { text: string; index: number }[] {
  const known = proseCache.get(paragraphs);
  if (known !== undefined) return known;
  const kept = articleSentences(paragraphs)
    .map((text, index) => ({ text, index }))
    .filter((s) => !isBoilerplate(s.text));
  proseCache.set(paragraphs, kept);
  return kept;
}

/** Math.max over an array of any length (spreading a long one overflows the call stack). */
function maxOf(values: readonly number[], floor: number): number {
  let max = floor;
  for (const value of values) if (value > max) max = value;
  return max;
}

function contentTerms(text: string): string[] {
  return tokenizeWords(text).filter((t) => !STOPWORDS.has(t) && t.length > 1);
}

function tfidf(terms: readonly string[], idf: (t: string) => number): Vector {
  const v: Vector = new Map();
  for (const t of terms) v.set(t, (v.get(t) ?? 0) + 1);
  for (const [t, tf] of v) v.set(t, (1 + Math.log(tf)) * idf(t));
  return v;
}

/** Gentle preference for ordinary sentence lengths; very short or very long ones lose. */
function lengthFactor(words: number): number {
  if (words < 8) return 0.6;
  if (words > 55) return 0.75;
  return 1;
}

/** Scores sentences; returns every non-boilerplate sentence with its score. */
function scoreSentences(input: SummaryInput, weights: ExtractiveWeights, positionScale: number): Candidate[] {
  const kept = proseSentences(input.paragraphs);
  if (kept.length === 0) return [];
  const terms = kept.map((s) => contentTerms(s.text));
  const df = new Map<string, number>();
  for (const ts of terms) for (const t of new Set(ts)) df.set(t, (df.get(t) ?? 0) + 1);
  const n = kept.length;
  const idf = (t: string): number => Math.log((n + 1) / ((df.get(t) ?? 0) + 0.5));
  const vectors = terms.map((ts) => tfidf(ts, idf));
  const titleVector = tfidf(contentTerms(input.title), idf);

  // Degree centrality over the cosine graph (LexRank without the power iteration: on
  // articles of 10–60 sentences the ranking is nearly the same and far cheaper). The sum of
  // one sentence's cosines with all the others is its unit vector dotted with the sum of all
  // unit vectors, less itself: linear in the article, where comparing every pair is not.
  const norms = vectors.map(norm);
  const total: Vector = new Map();
  vectors.forEach((v, i) => {
    const length = norms[i] ?? 0;
    if (length > 0) for (const [t, w] of v) total.set(t, (total.get(t) ?? 0) + w / length);
  });
  const centrality = vectors.map((v, i) => {
    const length = norms[i] ?? 0;
    if (length === 0) return 0;
    let dot = 0;
    for (const [t, w] of v) dot += w * (total.get(t) ?? 0);
    return Math.max(0, dot / length - 1);
  });
  const maxCentrality = maxOf(centrality, 1e-9);

  // Names and numbers that recur across the article mark what the story is about.
  const salience = new Map<string, number>();
  const names = kept.map((s) => capitalizedNames(s.text));
  const markers = kept.map((s, k) => [
    ...new Set([...(names[k] ?? []).map((x) => x.toLowerCase()), ...numbersIn(s.text)]),
  ]);
  for (const ms of markers) for (const m of ms) salience.set(m, (salience.get(m) ?? 0) + 1);
  const entityScore = markers.map((ms) => ms.reduce((a, m) => a + Math.log(salience.get(m) ?? 1), 0));
  const maxEntity = maxOf(entityScore, 1e-9);

  const surnames = surnameReferences(
    kept.map((s) => s.text),
    names,
    input.title,
  );
  const candidates: Candidate[] = kept.map((s, k) => {
    const position = Math.exp(-k / positionScale);
    const words = (terms[k] ?? []).length + 2;
    const raw =
      weights.position * position +
      weights.centrality * ((centrality[k] ?? 0) / maxCentrality) +
      weights.title * cosine(vectors[k] ?? new Map(), titleVector) +
      weights.entities * ((entityScore[k] ?? 0) / maxEntity);
    return {
      index: s.index,
      text: s.text,
      vector: vectors[k] ?? new Map(),
      score: raw * lengthFactor(words),
      surnameOf: surnames[k] ?? [],
    };
  });
  candidates.forEach((candidate, k) => {
    const before = candidates[k - 1];
    if (before !== undefined && BACK_REFERENCE.test(candidate.text)) candidate.leansOn = before;
  });
  return candidates;
}

/**
 * A summary is read on its own: a sentence that points back at one the reader was not shown
 * ("He said…", a surname whose full name was left out) comes with what it leans on, or not
 * at all. Returns the sentences that would have to be picked first.
 */
function missingContext(
  candidate: Candidate,
  picked: readonly Candidate[],
  all: readonly Candidate[],
): Candidate[] | undefined {
  const needed: Candidate[] = [];
  if (candidate.leansOn !== undefined && !picked.includes(candidate.leansOn)) needed.push(candidate.leansOn);
  // The summary's opening sentence: an opening pronoun needs the sentence before it, and the
  // article's own first sentence has none to bring.
  const opens = picked.every((p) => p.index > candidate.index);
  if (opens && OPENING_PRONOUN.test(candidate.text)) {
    const before = all[all.indexOf(candidate) - 1];
    if (before === undefined || OPENING_PRONOUN.test(before.text)) return undefined;
    if (!needed.includes(before)) needed.push(before);
  }
  for (const { full, introducedAt } of candidate.surnameOf) {
    if (namedBefore(full, candidate, picked) || namedBefore(full, candidate, needed)) continue;
    const intro = firstSentenceNaming(full, introducedAt, all);
    if (intro === undefined || intro.index >= candidate.index) return undefined;
    needed.push(intro);
  }
  // One step only: context that itself needs context is not worth the space.
  if (
    needed.some(
      (c) => c.leansOn !== undefined || c.surnameOf.some(({ full }) => !namedBefore(full, c, picked)),
    )
  )
    return undefined;
  return needed;
}

const firstNaming = new WeakMap<readonly Candidate[], Map<string, Candidate | undefined>>();

/**
 * The first sentence whose text gives the full name. It is at or before the sentence the name
 * was first found in, so the search stops there; remembered per article, so each name is
 * searched for once however many sentences and picking rounds ask.
 */
function firstSentenceNaming(
  full: string,
  introducedAt: number,
  all: readonly Candidate[],
): Candidate | undefined {
  let known = firstNaming.get(all);
  if (known === undefined) firstNaming.set(all, (known = new Map()));
  if (known.has(full)) return known.get(full);
  let found: Candidate | undefined;
  for (let k = 0; k <= introducedAt && k < all.length; k++) {
    const candidate = all[k];
    if (candidate !== undefined && candidate.text.includes(full)) {
      found = candidate;
      break;
    }
  }
  known.set(full, found);
  return found;
}

/** Some sentence among these, earlier in the article than `sentence`, gives the full name. */
function namedBefore(full: string, sentence: Candidate, among: readonly Candidate[]): boolean {
  return among.some((c) => c.index < sentence.index && c.text.includes(full));
}

/** Maximal marginal relevance under a character budget; returns picks in article order. */
function select(candidates: Candidate[], max: number, maxChars: number, lambda: number): Candidate[] {
  const picked: Candidate[] = [];
  const pool = new Set(candidates);
  const maxScore = maxOf(
    candidates.map((c) => c.score),
    1e-9,
  );
  let used = 0;
  const valueOf = (c: Candidate): number =>
    lambda * (c.score / maxScore) -
    (1 - lambda) * Math.max(0, ...picked.map((p) => cosine(p.vector, c.vector)));
  while (picked.length < max && pool.size > 0) {
    let best: Candidate[] | undefined;
    let bestValue = -Infinity;
    for (const c of pool) {
      if (isUnattributedQuote(c.text)) continue;
      const context = missingContext(c, picked, candidates);
      if (context === undefined) continue;
      const bundle = [...context, c];
      const length = bundle.reduce((sum, b) => sum + b.text.length + 1, picked.length > 0 ? 0 : -1);
      if (picked.length + bundle.length > max || used + length > maxChars) continue;
      // A sentence that brings its context is worth the average of what it brings.
      const value = bundle.reduce((sum, b) => sum + valueOf(b), 0) / bundle.length;
      if (value > bestValue) {
        bestValue = value;
        best = bundle;
      }
    }
    if (best === undefined) break;
    for (const chosen of best) {
      pool.delete(chosen);
      used += chosen.text.length + (picked.length > 0 ? 1 : 0);
      picked.push(chosen);
    }
  }
  return picked.sort((a, b) => a.index - b.index);
}

/** Cuts one over-long sentence at a word boundary so there is always some prose. */
function clip(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, Math.max(0, maxChars - 1));
  const space = cut.lastIndexOf(' ');
  return `${(space > maxChars / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * Top names in the article: a surname alone ("Ruiz") counts toward the full name it ends
 * ("Ana Ruiz"); single names need two mentions to count.
 */
function topEntities(sentences: readonly string[], limit: number): string[] {
  const counts = new Map<string, number>();
  for (const s of sentences)
    for (const name of capitalizedNames(s)) counts.set(name, (counts.get(name) ?? 0) + 1);
  // The first full name ending in each surname, found by a lookup rather than a search.
  const fullBySurname = new Map<string, string>();
  for (const name of counts.keys()) {
    if (!name.includes(' ')) continue;
    const surname = name.slice(name.lastIndexOf(' ') + 1);
    if (!fullBySurname.has(surname)) fullBySurname.set(surname, name);
  }
  for (const [name, count] of [...counts]) {
    if (name.includes(' ')) continue;
    const full = fullBySurname.get(name);
    if (full !== undefined) {
      counts.set(full, (counts.get(full) ?? 0) + count);
      counts.delete(name);
    }
  }
  return [...counts.entries()]
    .filter(([name, count]) => count >= 2 || name.includes(' '))
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name]) => name);
}

export interface ExtractiveSummarizer extends Summarizer {
  /** The picked sentences only, synchronously (benchmarks and the model fallback use it). */
  pick(input: SummaryInput, overrides?: Pick<ExtractiveOptions, 'maxSentences' | 'maxChars'>): string[];
}

export function createExtractiveSummarizer(options: ExtractiveOptions = {}): ExtractiveSummarizer {
  const weights = { ...DEFAULT_WEIGHTS, ...options.weights };
  const lambda = options.mmrLambda ?? 0.5;
  const positionScale = options.positionScale ?? 5;

  function pick(input: SummaryInput, overrides: ExtractiveOptions = {}): string[] {
    const max = Math.min(4, overrides.maxSentences ?? options.maxSentences ?? 3);
    const maxChars = overrides.maxChars ?? options.maxChars ?? 700;
    const candidates = scoreSentences(input, weights, positionScale);
    const picked = select(candidates, max, maxChars, lambda).map((c) => c.text);
    if (picked.length > 0 || candidates.length === 0) return picked;
    // Every sentence is over budget: show the best one, clipped.
    const best = [...candidates].sort((a, b) => b.score - a.score)[0];
    return best === undefined ? [] : [clip(best.text, maxChars)];
  }

  return {
    id: 'extractive',
    model: '',
    promptVersion: '',
    pick,
    summarize(input: SummaryInput): Promise<StorySummary> {
      const sentences = pick(input);
      const body = input.paragraphs.join('\n');
      const fallbackText = input.title.trim() !== '' ? input.title.trim() : clip(body.trim(), 300);
      const keyFacts = keyFactsOf(input.paragraphs, sentences);
      return Promise.resolve({
        v: STORY_SUMMARY_VERSION,
        headline: clip(input.title.trim() !== '' ? input.title.trim() : (sentences[0] ?? 'Untitled'), 256),
        sentences: sentences.length > 0 ? sentences : [fallbackText || 'No text available.'],
        keyFacts,
        topics: [],
        entities: topEntities([input.title, ...proseSentences(input.paragraphs).map((s) => s.text)], 8),
        summarizer: 'extractive',
      });
    },
  };
}
