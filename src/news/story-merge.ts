/**
 * Near-duplicate detection for syndicated copies of one story.
 *
 * Each article body becomes a set of hashed word 5-gram shingles, taken inside paragraphs so
 * that reordering paragraphs does not change the set. Two articles are the same story when the
 * CONTAINMENT of the smaller set in the larger, |A ∩ B| / min(|A|, |B|), reaches the threshold.
 * Containment rather than Jaccard because a copy that drops a paragraph or two (or a teaser of
 * the full text) is still wholly contained in the original.
 *
 * Threshold 0.5 (default): copies that differ by boilerplate, headline, dateline style or one
 * dropped paragraph keep well above 0.8 (boilerplate is removed before this, and the headline
 * is not part of the body), while different stories about the same country or event share
 * words but rarely five-word runs: a quoted statement or a stock background sentence puts
 * them around 0.05-0.25. The fixture set in tests/fixtures/merge-pairs pins both sides; the
 * ingest bench prints the observed ranges.
 *
 * Short evidence: when the smaller text is about one paragraph (a teaser, a brief), one
 * shared stock line ("Subscribe for the full story…") can make up all of it. Then the headlines
 * must share a word too: the story text is title and body, and copies of one story keep its
 * names in the headline, while different stories under one stock line do not.
 *
 * Speed: candidates come from an inverted index over a deterministic sample of shingles
 * (hash % 4 === 0, plus each set's minimum hash so tiny sets are always indexed); only
 * candidates sharing a sampled shingle are compared exactly. A posting list holds one article
 * per story: ten thousand copies of one story cost one posting, not ten thousand, so a story
 * copied many times stays findable. Shingles shared by many different stories (postings
 * beyond a cap) are ignored for candidate generation. Cost per lookup grows with the article,
 * not with the number of stored articles.
 */

/** Tuning knobs; the defaults are documented above. */
export interface StoryMatcherOptions {
  /** Containment needed to merge, 0..1. Default 0.5. */
  threshold?: number;
  /** Words per shingle. Default 5. */
  shingleSize?: number;
  /** Sets smaller than this never match (a one-line teaser is too little evidence). Default 6. */
  minShingles?: number;
  /**
   * An article's shingle set, for a caller that has it already (the persistent index computes
   * it once per article for its own lookup). Default: shingleSet of the paragraphs.
   */
  shinglesOf?: (article: MatchableArticle) => Uint32Array;
  /** The index keys of a shingle set, likewise for a caller that keeps them. Default: indexKeys. */
  keysOf?: (shingles: Uint32Array) => readonly number[];
}

/** The text an article is compared on. */
export interface MatchableArticle {
  paragraphs: readonly string[];
  /** The headline; weighs in only when the body evidence is short (see above). */
  title?: string;
}

/** A match found for an article. */
export interface StoryMatch {
  storyId: string;
  /** Containment of the smaller shingle set in the larger, 0..1. */
  similarity: number;
}

/** An index of stored articles' shingles, keyed by the story each belongs to. */
export interface StoryMatcher {
  /** Indexes an article as part of a story. */
  add(storyId: string, article: MatchableArticle): void;
  /** The best matching story at or above the threshold, if any. */
  findMatch(article: MatchableArticle): StoryMatch | undefined;
  /**
   * Told the articles about to be matched, in order, before the first findMatch: a matcher
   * that reads a store may look up what they match there in bulk (the store does not change
   * until the plan is committed). Answers are the same with or without it.
   */
  lookAhead?(articles: readonly MatchableArticle[]): void;
  /** Number of indexed articles. */
  readonly size: number;
}

const SAMPLE_MODULUS = 4;
// Exported for the persistent matcher (dedup-index.ts), which applies the same rule.
export const MAX_POSTINGS = 500;
export const MAX_CANDIDATES = 32;
/** Below this many shingles (about one paragraph) the body alone is too little evidence. */
export const SHORT_EVIDENCE_SHINGLES = 40;
// Words too common in headlines to say two headlines are about the same thing.
const HEADLINE_FILLER = new Set([
  'the',
  'and',
  'for',
  'with',
  'from',
  'that',
  'this',
  'after',
  'over',
  'into',
  'says',
  'said',
  'new',
  'are',
  'was',
  'its',
  'has',
  'have',
  'will',
  'not',
  'but',
  'out',
  'how',
  'why',
  'what',
  'who',
  'more',
  'than',
  'about',
]);

export function headlineWords(title: string | undefined): Set<string> | undefined {
  if (title === undefined) return undefined;
  const words =
    title
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  const kept = words.filter((word) => word.length >= 3 && !HEADLINE_FILLER.has(word));
  return kept.length > 0 ? new Set(kept) : undefined;
}

/** False only when both headlines are known and share no meaningful word. */
export function headlinesMayAgree(a: Set<string> | undefined, b: Set<string> | undefined): boolean {
  if (a === undefined || b === undefined) return true;
  for (const word of a) if (b.has(word)) return true;
  return false;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  // Final avalanche so the modular sample is not biased by the last characters.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  return hash >>> 0;
}

/** Hashes of one paragraph's word k-grams, in order, repeats included; none under three words. */
function paragraphHashes(paragraph: string, shingleSize: number, hashes: number[]): void {
  const words = paragraph
    .normalize('NFKC')
    .toLowerCase()
    .match(/[\p{L}\p{N}]+/gu);
  if (!words || words.length < 3) return;
  const wordHashes = words.map(fnv1a);
  const width = Math.min(shingleSize, words.length);
  // A shingle's hash combines its words' hashes in order: no string building per shingle.
  for (let i = 0; i + width <= wordHashes.length; i++) {
    let hash = 0x9e3779b9;
    for (let j = 0; j < width; j++)
      hash = Math.imul(hash ^ (wordHashes[i + j] ?? 0), 0x01000193) ^ (hash >>> 15);
    hash ^= hash >>> 16;
    hash = Math.imul(hash, 0x85ebca6b);
    hash ^= hash >>> 13;
    hashes.push(hash >>> 0);
  }
}

function sortedUnique(hashes: readonly number[]): Uint32Array {
  const sorted = Uint32Array.from(hashes).sort();
  let unique = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[unique++] = sorted[i] ?? 0;
  }
  return sorted.slice(0, unique);
}

/** Sorted unique hashes of the word k-grams of each paragraph. */
export function shingleSet(paragraphs: readonly string[], shingleSize = 5): Uint32Array {
  const hashes: number[] = [];
  for (const paragraph of paragraphs) paragraphHashes(paragraph, shingleSize, hashes);
  return sortedUnique(hashes);
}

/** One shingle set per paragraph, as shingleSet takes them. */
export function paragraphShingleSets(paragraphs: readonly string[], shingleSize = 5): Uint32Array[] {
  return paragraphs.map((paragraph) => {
    const hashes: number[] = [];
    paragraphHashes(paragraph, shingleSize, hashes);
    return sortedUnique(hashes);
  });
}

function holds(sorted: Uint32Array, hash: number): boolean {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const value = sorted[mid] ?? 0;
    if (value === hash) return true;
    if (value < hash) low = mid + 1;
    else high = mid - 1;
  }
  return false;
}

/** A paragraph this much of which the other article holds was carried over word for word. */
const CARRIED_PARAGRAPH = 0.8;
/** Text of its own, beyond what the other holds: at least this share of an article… */
const OWN_TEXT_SHARE = 0.25;
/** …and at least a sentence's worth of shingles. */
const OWN_TEXT_MIN = 10;
/** An article's own text sharing less than this with the other shares nothing with it. */
const OWN_TEXT_OVERLAP = 0.1;

/**
 * True when all two articles share is stock text: one or more paragraphs carried over word for
 * word (a landlord's blurb under every listing, an outlet's standard paragraph about itself),
 * while each also has text of its own (a quarter of it or more) and the query's own text shares
 * nothing with the other. Copies of one story share their distinctive text too: an edited
 * paragraph still shares most of its five-word runs, and a teaser or a shortened copy has no
 * text of its own. `paragraphs` gives the query's paragraph sets (paragraphShingleSets), asked
 * for only when both articles have text of their own: copies rarely do.
 */
export function sharesOnlyStockText(
  paragraphs: () => readonly Uint32Array[],
  query: Uint32Array,
  stored: Uint32Array,
  similarity = containment(query, stored),
): boolean {
  const shared = Math.round(similarity * Math.min(query.length, stored.length));
  const ownEnough = (size: number): boolean => size - shared >= Math.max(OWN_TEXT_MIN, OWN_TEXT_SHARE * size);
  if (!ownEnough(query.length) || !ownEnough(stored.length)) return false;
  let carried = 0;
  let own = 0;
  let ownShared = 0;
  for (const set of paragraphs()) {
    if (set.length === 0) continue;
    let found = 0;
    for (const hash of set) if (holds(stored, hash)) found++;
    if (found >= CARRIED_PARAGRAPH * set.length) carried++;
    else {
      own += set.length;
      ownShared += found;
    }
  }
  return carried > 0 && ownShared < OWN_TEXT_OVERLAP * own;
}

/** |A ∩ B| / min(|A|, |B|) over two sorted unique sets; 0 when either is empty. */
export function containment(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 || b.length === 0) return 0;
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] ?? 0;
    const y = b[j] ?? 0;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return shared / Math.min(a.length, b.length);
}

/** Containment similarity of two article bodies (for tests, benches and diagnostics). */
export function bodySimilarity(a: MatchableArticle, b: MatchableArticle, shingleSize = 5): number {
  return containment(shingleSet(a.paragraphs, shingleSize), shingleSet(b.paragraphs, shingleSize));
}

/** The shingles used as index keys: the sample, plus the minimum so no set goes unindexed. */
export function indexKeys(set: Uint32Array): number[] {
  const keys = set.filter((hash) => hash % SAMPLE_MODULUS === 0);
  const min = set[0];
  return min !== undefined && min % SAMPLE_MODULUS !== 0 ? [...keys, min] : [...keys];
}

interface Entry {
  storyId: string;
  shingles: Uint32Array;
  headline: Set<string> | undefined;
}

/** Creates an empty in-memory matcher. Fill it from the store at start, then add as you ingest. */
export function createStoryMatcher(options: StoryMatcherOptions = {}): StoryMatcher {
  const threshold = options.threshold ?? 0.5;
  const shingleSize = options.shingleSize ?? 5;
  const minShingles = options.minShingles ?? 6;
  const shinglesOf =
    options.shinglesOf ?? ((article: MatchableArticle) => shingleSet(article.paragraphs, shingleSize));
  const keysOf = options.keysOf ?? indexKeys;
  const entries: Entry[] = [];
  // One posting per story per key: the keys each story already has a posting under.
  const postings = new Map<number, number[]>();
  const postedKeys = new Map<string, Set<number>>();

  return {
    get size() {
      return entries.length;
    },
    add(storyId, article) {
      const shingles = shinglesOf(article);
      if (shingles.length === 0) return;
      const index = entries.push({ storyId, shingles, headline: headlineWords(article.title) }) - 1;
      let posted = postedKeys.get(storyId);
      if (posted === undefined) postedKeys.set(storyId, (posted = new Set()));
      for (const key of keysOf(shingles)) {
        if (posted.has(key)) continue;
        const list = postings.get(key);
        if (list === undefined) postings.set(key, [index]);
        else if (list.length < MAX_POSTINGS) list.push(index);
        else continue;
        posted.add(key);
      }
    },
    findMatch(article) {
      const shingles = shinglesOf(article);
      if (shingles.length < minShingles) return undefined;
      const headline = headlineWords(article.title);
      let paragraphSets: Uint32Array[] | undefined;
      const votes = new Map<number, number>();
      for (const key of keysOf(shingles)) {
        const list = postings.get(key);
        if (list === undefined || list.length >= MAX_POSTINGS) continue;
        for (const index of list) votes.set(index, (votes.get(index) ?? 0) + 1);
      }
      const candidates = [...votes.entries()].sort((x, y) => y[1] - x[1]).slice(0, MAX_CANDIDATES);
      let best: StoryMatch | undefined;
      for (const [index] of candidates) {
        const entry = entries[index];
        if (entry === undefined || entry.shingles.length < minShingles) continue;
        const similarity = containment(shingles, entry.shingles);
        if (similarity < threshold || (best !== undefined && similarity <= best.similarity)) continue;
        const shortEvidence = Math.min(shingles.length, entry.shingles.length) < SHORT_EVIDENCE_SHINGLES;
        if (shortEvidence && !headlinesMayAgree(headline, entry.headline)) continue;
        const sets = (): Uint32Array[] =>
          (paragraphSets ??= paragraphShingleSets(article.paragraphs, shingleSize));
        if (sharesOnlyStockText(sets, shingles, entry.shingles, similarity)) continue;
        best = { storyId: entry.storyId, similarity };
      }
      return best;
    },
  };
}
