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
 *  2. every specific name or number the question mentions appears in the cited article;
 *  3. for "when" and "how many/much" questions, the sentence holds a date or number that the
 *     question does not already contain (its own year cannot be the answer);
 *  4. some of what the question asks beyond the story's subject (the terms that are neither
 *     headline words nor named specifics: "founded", "coach", "thick") is said in the sentence
 *     or beside it: a sentence that only shares the subject answers a different question.
 * Otherwise the answer is the plain not-found line, never a guess.
 */
import type { Passage, StoryIndex } from '../retrieval/story-index.ts';
import { contentStems, indexTerm, QUESTION_FILLERS, words } from '../retrieval/text-terms.ts';
import type { Answer, AnswerOptions, Answerer, Citation } from './answer-types.ts';
import { notFound } from './answer-types.ts';
import { looksLikeInstruction } from './injection-guard.ts';
import type { AnswerKind } from './question-cues.ts';
import { answerKind, hasAnswerCue, needsCue, questionSpecifics } from './question-cues.ts';

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
  /** Share of what the question asks beyond the story's subject, in sentence + neighbours. */
  askCoverage: number;
  /** Holds the kind of thing the question asks for, not already in the question. */
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
  /**
   * Least share of what the question asks beyond the story's subject (terms that are neither
   * in the headline nor named specifics) found in the cited sentence or its neighbours; default 1/3.
   */
  minAskCoverage?: number;
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
  const minAskCoverage = options.minAskCoverage ?? 1 / 3;
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
    // Through indexTerm, as the text is: the "s" of "Quanta's" is no specific of its own.
    const specifics = questionSpecifics(question)
      .map((w) => indexTerm(w, stem))
      .filter((t): t is string => t !== null);

    const specificSet = new Set(specifics);
    const passages = index.search(question, {
      limit: retrieveLimit,
      ...(rankOptions.storyId !== undefined ? { storyId: rankOptions.storyId } : {}),
      ...(rankOptions.audience !== undefined ? { audience: rankOptions.audience } : {}),
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
      const titleStems = stemsOf(article.title);
      const context = [own, titleStems];
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
      const cue = hasAnswerCue(sentence, kind, qWords);
      // What the question asks beyond the story's subject (its headline terms and named
      // specifics): some of it must be said in the cited sentence or beside it.
      let askTotal = 0;
      let askHit = 0;
      for (const [term, weight] of weights) {
        if (titleStems.has(term) || specificSet.has(term)) continue;
        askTotal += weight;
        if (context.some((c) => c !== titleStems && c.has(term))) askHit += weight;
      }
      // "How much"/"when" also ask for an amount or a date: a sentence that holds one has
      // said that part (weighted as an average term), so a paraphrased verb alone cannot sink it.
      if (needsCue(kind)) {
        askTotal += total / weights.size;
        if (cue) askHit += total / weights.size;
      }
      const askCoverage = askTotal > 0 ? askHit / askTotal : 1;
      // The headline is what every sentence of the article is about, so its terms count for
      // each sentence when ranking; the pick inside an article then turns on the other terms.
      const focus = coverageOf([own, titleStems]);
      const contextCoverage = coverageOf(context);
      const specificsPresent = specifics.every((t) => inArticle.has(t));
      const score =
        WEIGHTS.coverage * focus +
        WEIGHTS.context * contextCoverage +
        WEIGHTS.bm25 * share +
        WEIGHTS.cue * (cue ? 1 : 0);
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
        askCoverage,
        cue,
        specificsPresent,
        answerable:
          specificsPresent &&
          contextCoverage >= minCoverage &&
          coverage >= minSentenceCoverage &&
          (cue || !needsCue(kind)) &&
          askCoverage >= minAskCoverage,
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
