/**
 * The offline answerer: picks the sentence (or two) from the cached stories that best answers
 * a question, and cites it. BM25 only finds the neighbourhood; the pick is scored on how much
 * of the question's information (idf-weighted content terms) the sentence and its neighbours
 * cover, and on whether the sentence holds the kind of thing asked for (a date for "when", a
 * number for "how many").
 *
 * Declining is a rule, not a fit: Herald answers only when
 *  1. the cited sentence with its neighbours and headline covers at least `minCoverage` of the
 *     question's information, and the sentence alone at least `minSentenceCoverage`;
 *  2. every specific name or number the question mentions appears in the cited article.
 * Otherwise the answer is the plain not-found line, never a guess.
 */
import type { Passage, StoryIndex } from '../retrieval/story-index.ts';
import { contentStems, QUESTION_FILLERS, words } from '../retrieval/text-terms.ts';
import type { Answer, AnswerOptions, Answerer, Citation } from './answer-types.ts';
import { notFound } from './answer-types.ts';
import { looksLikeInstruction } from './injection-guard.ts';
import type { AnswerKind } from './question-cues.ts';
import { answerKind, hasAnswerCue, questionSpecifics } from './question-cues.ts';

/** One candidate sentence with the evidence behind its score. */
export interface RankedSentence {
  storyId: string;
  articleId: string;
  title: string;
  url?: string;
  text: string;
  sentenceIndex: number;
  publishedAt: string;
  score: number;
  /** Share of the question's idf mass found in the sentence. */
  coverage: number;
  /** The same, over the sentence, its neighbours and the headline. */
  contextCoverage: number;
  /** Holds the kind of thing the question asks for. */
  cue: boolean;
  /** Every name and number of the question appears in the article. */
  specificsPresent: boolean;
  /** Passes the decline rule. */
  answerable: boolean;
}

export interface ExtractiveAnswererOptions {
  index: StoryIndex;
  /** Least share of the question's information in sentence + neighbours + headline; default 0.6. */
  minCoverage?: number;
  /** Least share in the cited sentence alone; default 0.3. */
  minSentenceCoverage?: number;
  /** Passages retrieved before re-scoring sentences; default 30. */
  retrieveLimit?: number;
  /** A second sentence is cited only when it scores at least this share of the first; default 0.85. */
  secondSentenceRatio?: number;
}

export interface ExtractiveAnswerer extends Answerer {
  /** Candidate sentences, best first, each marked answerable or not (the bench reads this). */
  rank(question: string, options?: AnswerOptions & { limit?: number }): RankedSentence[];
}

const WEIGHTS = { coverage: 0.45, context: 0.25, bm25: 0.2, cue: 0.1 };

export function createExtractiveAnswerer(options: ExtractiveAnswererOptions): ExtractiveAnswerer {
  const { index } = options;
  const minCoverage = options.minCoverage ?? 0.6;
  const minSentenceCoverage = options.minSentenceCoverage ?? 0.3;
  const retrieveLimit = options.retrieveLimit ?? 30;
  const secondRatio = options.secondSentenceRatio ?? 0.85;
  const stem = (word: string): string => index.stem(word);

  function rank(question: string, rankOptions: AnswerOptions & { limit?: number } = {}): RankedSentence[] {
    const qStems = contentStems(question, stem, QUESTION_FILLERS);
    if (qStems.length === 0) return [];
    const weights = new Map(qStems.map((t) => [t, index.idf(t)]));
    const total = [...weights.values()].reduce((a, b) => a + b, 0);
    const kind: AnswerKind = answerKind(question);
    const qWords = new Set(words(question));
    const qStemSet = new Set(qStems);
    const specifics = questionSpecifics(question).map(stem);

    const passages = index.search(question, {
      limit: retrieveLimit,
      ...(rankOptions.storyId !== undefined ? { storyId: rankOptions.storyId } : {}),
    });
    const top = passages[0]?.score ?? 0;
    if (top <= 0) return [];

    // Best BM25 share of any passage containing each sentence.
    const bm25 = new Map<string, { passage: Passage; share: number; index: number }>();
    for (const passage of passages) {
      for (let i = passage.sentenceIndex; i < passage.sentenceIndex + passage.sentenceCount; i++) {
        const key = `${passage.articleId}\u0000${i}`;
        const share = passage.score / top;
        if ((bm25.get(key)?.share ?? -1) < share) bm25.set(key, { passage, share, index: i });
      }
    }

    const stemCache = new Map<string, ReadonlySet<string>>();
    const stemsOf = (text: string): ReadonlySet<string> => {
      let found = stemCache.get(text);
      if (found === undefined) {
        found = new Set(contentStems(text, stem));
        stemCache.set(text, found);
      }
      return found;
    };
    const coverageOf = (sets: ReadonlyArray<ReadonlySet<string>>): number => {
      let hit = 0;
      for (const [term, weight] of weights) if (sets.some((s) => s.has(term))) hit += weight;
      return total > 0 ? hit / total : 0;
    };
    const articleStems = new Map<string, ReadonlySet<string>>();

    const ranked: RankedSentence[] = [];
    for (const { passage, share, index: i } of bm25.values()) {
      const article = index.article(passage.articleId);
      const sentence = article?.sentences[i];
      if (article === undefined || sentence === undefined || looksLikeInstruction(sentence)) continue;
      const own = stemsOf(sentence);
      // A sentence that only repeats the question cannot hold its answer.
      if (![...own].some((t) => !qStemSet.has(t))) continue;
      const context = [own, stemsOf(article.title)];
      for (const j of [i - 1, i + 1]) {
        const neighbour = article.sentences[j];
        if (neighbour !== undefined && !looksLikeInstruction(neighbour)) context.push(stemsOf(neighbour));
      }
      let inArticle = articleStems.get(article.articleId);
      if (inArticle === undefined) {
        inArticle = new Set(contentStems(`${article.title} ${article.sentences.join(' ')}`, stem));
        articleStems.set(article.articleId, inArticle);
      }
      const coverage = coverageOf([own]);
      const contextCoverage = coverageOf(context);
      const cue = hasAnswerCue(sentence, kind, qWords);
      const specificsPresent = specifics.every((t) => inArticle.has(t));
      const score =
        WEIGHTS.coverage * coverage + WEIGHTS.context * contextCoverage + WEIGHTS.bm25 * share + WEIGHTS.cue * (cue ? 1 : 0);
      ranked.push({
        storyId: article.storyId,
        articleId: article.articleId,
        title: article.title,
        ...(article.url !== undefined ? { url: article.url } : {}),
        text: sentence,
        sentenceIndex: i,
        publishedAt: article.publishedAt,
        score,
        coverage,
        contextCoverage,
        cue,
        specificsPresent,
        answerable: specificsPresent && contextCoverage >= minCoverage && coverage >= minSentenceCoverage,
      });
    }
    ranked.sort((a, b) => b.score - a.score || Date.parse(b.publishedAt) - Date.parse(a.publishedAt));
    return ranked.slice(0, rankOptions.limit ?? 10);
  }

  function answer(question: string, answerOptions: AnswerOptions = {}): Promise<Answer> {
    const scoped = answerOptions.storyId !== undefined;
    const ranked = rank(question, answerOptions);
    const best = ranked[0];
    if (best === undefined || !best.answerable) return Promise.resolve(notFound('extractive', scoped));
    const picks = [best];
    const second = ranked.slice(1).find((r) => r.answerable && r.text !== best.text);
    if (second !== undefined && second.score >= secondRatio * best.score) picks.push(second);
    const citations: Citation[] = picks.map((pick) => ({
      storyId: pick.storyId,
      title: pick.title,
      ...(pick.url !== undefined ? { url: pick.url } : {}),
      quote: pick.text,
    }));
    const text = picks.map((pick, i) => `${pick.text} [${i + 1}]`).join(' ');
    return Promise.resolve({ answer: text, found: true, citations, via: 'extractive' });
  }

  return { rank, answer };
}
