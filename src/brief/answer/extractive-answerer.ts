/**
 * The offline answerer: picks the sentence (or two) from the cached stories that best answers
 * a question, and cites it. BM25 only finds the neighbourhood; the pick is scored on how much
 * of the question's information (idf-weighted content terms) the sentence and its neighbours
 * cover, on whether the sentence holds the kind of thing asked for (a date for "when", a new
 * name for "who", a cause for "why"), and on whether it is about the question's subject
 * ("Who did Serena Williams beat?" wants a sentence naming Williams, not another match).
 *
 * Herald answers only when the best sentence
 *  1. can hold the asked kind of thing (a sentence with no new name cannot answer "who");
 *  2. comes from an article that mentions every specific name or number of the question;
 *  3. has a calibrated confidence (see answer-confidence.ts) of at least `minConfidence`.
 * Otherwise the answer is the plain not-found line, never a guess.
 */
import type { Passage, StoryIndex } from '../retrieval/story-index.ts';
import { contentStems, indexTerm, QUESTION_FILLERS, words } from '../retrieval/text-terms.ts';
import type { ConfidenceSignals } from './answer-confidence.ts';
import { answerConfidence } from './answer-confidence.ts';
import type { Answer, AnswerOptions, Answerer, Citation } from './answer-types.ts';
import { notFound } from './answer-types.ts';
import { answerWords, markAgreement } from './candidate-agreement.ts';
import { looksLikeInstruction } from './injection-guard.ts';
import type { AnswerKind } from './question-cues.ts';
import {
  answerKind,
  causeStrength,
  hasAnswerCue,
  namesNewPerson,
  needsCue,
  questionSpecifics,
  typeRequired,
} from './question-cues.ts';
import { questionSubject, subjectAliases, subjectShare } from './question-subject.ts';

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
  /** Holds the kind of thing the question asks for, not already in the question (for why/how, maybe in a neighbour). */
  cue: boolean;
  /** Holds it in the sentence itself. */
  ownCue: boolean;
  /** Every name and number of the question appears in the article. */
  specificsPresent: boolean;
  /** What the confidence was computed from. */
  signals: ConfidenceSignals;
  /** How likely this sentence holds the answer (0..1, calibrated). */
  confidence: number;
  /** Can hold the asked kind of thing, its article has the question's specifics, and confident enough. */
  answerable: boolean;
}

/**
 * How the ranking score weighs each piece of evidence. `subject` counts only for questions
 * with a named agent ("Who did Serena Williams beat?"); for the rest it is the same for every
 * sentence and leaves the order alone.
 */
export interface RankWeights {
  /** The question's adjacent word pairs kept in the sentence. */
  phrase: number;
  /** The question's information anywhere in the sentence's article: the story it asks about. */
  article: number;
  coverage: number;
  context: number;
  bm25: number;
  cue: number;
  subject: number;
}

export const DEFAULT_RANK_WEIGHTS: RankWeights = {
  phrase: 0.2,
  article: 0.3,
  coverage: 0.45,
  context: 0.25,
  bm25: 0.2,
  cue: 0.1,
  subject: 0.4,
};

/** The confidence below which Herald declines, when the config does not say (chosen from the calibration half's curve). */
export const DEFAULT_MIN_CONFIDENCE = 0.05;

export interface ExtractiveAnswererOptions {
  index: StoryIndex;
  /** Least calibrated confidence to answer (config `ask.minConfidence`). */
  minConfidence?: number;
  /** Passages retrieved before re-scoring sentences; default 30. */
  retrieveLimit?: number;
  /** A second sentence is cited only when it scores at least this share of the first; default 0.85. */
  secondSentenceRatio?: number;
  rankWeights?: RankWeights;
}

export interface ExtractiveAnswerer extends Answerer {
  /** Candidate sentences, best first, each marked answerable or not (the bench reads this). */
  rank(question: string, options?: AnswerOptions & { limit?: number }): RankedSentence[];
}

/** Words that turn a statement around; "n't" splits into "t". */
const NEGATIONS = ['not', 'never', 'no', 't', 'neither', 'nor', 'without'];

/** Least share of the question's information (idf-weighted) in the sentence, its neighbours and headline. */
export const MIN_CONTEXT_COVERAGE = 0.4;

/** Causes and manners may be stated in a neighbouring sentence of the passage. */
const statedNearby = (kind: AnswerKind): boolean => kind === 'reason' || kind === 'manner';

/**
 * What a sentence must show before its confidence is even considered: the article names
 * every specific of the question, the sentence holds the asked kind of thing where that has a
 * visible form, and something the question asks beyond its subject is said in or beside it
 * (a sentence that only shares the subject answers a different question), and the passage
 * with its headline says at least MIN_CONTEXT_COVERAGE of the question's information (a
 * question about the bridge committee is not answered by the library committee's sentence).
 */
export function passesGates(
  candidate: Pick<RankedSentence, 'specificsPresent' | 'cue' | 'askCoverage' | 'contextCoverage'> & {
    signals: Pick<ConfidenceSignals, 'kind'>;
  },
): boolean {
  return (
    candidate.specificsPresent &&
    (candidate.cue || !typeRequired(candidate.signals.kind)) &&
    candidate.askCoverage > 0 &&
    candidate.contextCoverage >= MIN_CONTEXT_COVERAGE
  );
}

/**
 * A second citation must hold the asked kind of thing itself and, for "why", state its cause
 * at least as plainly as the first: a neighbour of the first cause, or a consequence that
 * says "since", adds nothing to the answer.
 */
function addsToFirst(first: RankedSentence, second: RankedSentence): boolean {
  const kind = first.signals.kind;
  if (!statedNearby(kind)) return true;
  if (!second.ownCue) return false;
  return kind !== 'reason' || causeStrength(second.text) >= causeStrength(first.text);
}

/**
 * Adjacent content-word pairs of a text ("port strike", "walk out"): a sentence that keeps the
 * question's phrases, not only its words, is more likely the one it was asked about.
 */
function stemPairs(text: string, stem: (word: string) => string): ReadonlySet<string> {
  const sequence: string[] = [];
  for (const token of words(text)) {
    const term = indexTerm(token, stem);
    if (term !== null) sequence.push(term);
  }
  const pairs = new Set<string>();
  for (let k = 1; k < sequence.length; k++) pairs.add(`${sequence[k - 1]} ${sequence[k]}`);
  return pairs;
}

/** Share of the question's phrases a sentence keeps (0 when the question has none). */
function pairShare(asked: ReadonlySet<string>, found: ReadonlySet<string>): number {
  if (asked.size === 0) return 0;
  let hit = 0;
  for (const pair of asked) if (found.has(pair)) hit++;
  return hit / asked.size;
}

type Candidate = Omit<RankedSentence, 'signals' | 'confidence' | 'answerable'> & {
  signals: Omit<ConfidenceSignals, 'margin' | 'agreement'>;
  answerWords: ReadonlySet<string>;
};

export function createExtractiveAnswerer(options: ExtractiveAnswererOptions): ExtractiveAnswerer {
  const { index } = options;
  const minConfidence = options.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
  const retrieveLimit = options.retrieveLimit ?? 30;
  const secondRatio = options.secondSentenceRatio ?? 0.85;
  const w = options.rankWeights ?? DEFAULT_RANK_WEIGHTS;
  const stem = (word: string): string => index.stem(word);

  function rank(question: string, rankOptions: AnswerOptions & { limit?: number } = {}): RankedSentence[] {
    const qStems = contentStems(question, stem, QUESTION_FILLERS);
    if (qStems.length === 0) return [];
    const weights = new Map(qStems.map((t) => [t, index.idf(t)]));
    const total = [...weights.values()].reduce((a, b) => a + b, 0);
    const kind: AnswerKind = answerKind(question);
    const subject = questionSubject(question);
    const qWords = new Set(words(question));
    const qStemSet = new Set(qStems);
    // Through indexTerm, as the text is: the "s" of "Quanta's" is no specific of its own.
    const specifics = questionSpecifics(question)
      .map((word) => indexTerm(word, stem))
      .filter((t): t is string => t !== null);

    const specificSet = new Set(specifics);
    // A name's own pair ("serena williams") says who, not what was asked about them.
    const qPairs = new Set(
      [...stemPairs(question, stem)].filter((pair) => !pair.split(' ').every((t) => specificSet.has(t))),
    );
    const pairCache = new Map<string, ReadonlySet<string>>();
    const pairsOf = (text: string): ReadonlySet<string> => {
      let found = pairCache.get(text);
      if (found === undefined) {
        found = stemPairs(text, stem);
        pairCache.set(text, found);
      }
      return found;
    };
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
    const wordCache = new Map<string, ReadonlySet<string>>();
    const wordsOf = (text: string): ReadonlySet<string> => {
      let found = wordCache.get(text);
      if (found === undefined) {
        found = new Set(words(text));
        wordCache.set(text, found);
      }
      return found;
    };
    const coverageOf = (sets: ReadonlyArray<ReadonlySet<string>>): number => {
      let hit = 0;
      for (const [term, weight] of weights) if (sets.some((set) => set.has(term))) hit += weight;
      return total > 0 ? hit / total : 0;
    };
    const rarest = Math.max(...weights.values());
    const missingRare = (present: ReadonlySet<string>): number => {
      let worst = 0;
      for (const [term, weight] of weights) if (!present.has(term)) worst = Math.max(worst, weight);
      return rarest > 0 ? worst / rarest : 0;
    };
    const questionNegated = NEGATIONS.some((n) => qWords.has(n));
    const articleFacts = new Map<
      string,
      { stems: ReadonlySet<string>; aliases: ReturnType<typeof subjectAliases> }
    >();

    const candidates: Candidate[] = [];
    for (const { passage, share, index: i } of bm25.values()) {
      const article = index.article(passage.articleId);
      const sentence = article?.sentences[i];
      if (article === undefined || sentence === undefined || looksLikeInstruction(sentence)) continue;
      const own = stemsOf(sentence);
      // A sentence that only repeats the question cannot hold its answer.
      if (![...own].some((t) => !qStemSet.has(t))) continue;
      const titleStems = stemsOf(article.title);
      const context = [own, titleStems];
      const near = [wordsOf(sentence)];
      for (const j of [i - 1, i + 1]) {
        const neighbour = article.sentences[j];
        if (neighbour !== undefined && !looksLikeInstruction(neighbour)) {
          context.push(stemsOf(neighbour));
          near.push(wordsOf(neighbour));
        }
      }
      let facts = articleFacts.get(article.articleId);
      if (facts === undefined) {
        const text = `${article.title}. ${article.sentences.join(' ')}`;
        facts = { stems: new Set(contentStems(text, stem)), aliases: subjectAliases(subject, text) };
        articleFacts.set(article.articleId, facts);
      }
      const coverage = coverageOf([own]);
      // "After" or "since" gives a cause only when the sentence is about what was asked: a
      // consequence further down ("...since 60 percent of imports pass through") is not.
      const asked = [...weights.keys()].filter((t) => !titleStems.has(t) && !specificSet.has(t));
      const ownCue =
        kind === 'reason'
          ? causeStrength(sentence) === 1 ||
            (causeStrength(sentence) > 0 && (asked.length === 0 || asked.some((t) => own.has(t))))
          : hasAnswerCue(sentence, kind, qWords);
      // A neighbour's "since" or "after" is too weak to lend: only a stated cause carries over.
      const statesNearby = (s: string): boolean =>
        kind === 'reason' ? causeStrength(s) === 1 : hasAnswerCue(s, kind, qWords);
      // A cause or a manner is often stated in the sentence beside the one that matches
      // ("The road was shut. A lorry had shed its load."): the passage may hold it, but only
      // the sentence's own cue counts towards its rank.
      const cue =
        ownCue ||
        (statedNearby(kind) &&
          [article.sentences[i - 1], article.sentences[i + 1]].some(
            (s) => s !== undefined && statesNearby(s),
          ));
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
      const subjectInSentence = subjectShare(facts.aliases, wordsOf(sentence));
      const newPerson = kind === 'person' && namesNewPerson(sentence, qWords);
      // Likewise "Who did Serena Williams beat?" asks for the one she acted on: a sentence with
      // her acting and a new person named has said that part, though it says "dispatched".
      if (subject.namedAgent && kind === 'person') {
        askTotal += total / weights.size;
        if (newPerson && subjectInSentence === 1) askHit += total / weights.size;
      }
      const askCoverage = askTotal > 0 ? askHit / askTotal : 1;
      // The headline is what every sentence of the article is about, so its terms count for
      // each sentence when ranking; the pick inside an article then turns on the other terms.
      const focus = coverageOf([own, titleStems]);
      const contextCoverage = coverageOf(context);
      const specificsPresent = specifics.every((t) => facts.stems.has(t));
      const subjectNear = subjectShare(facts.aliases, new Set(near.flatMap((set) => [...set])));
      const phrase = pairShare(qPairs, pairsOf(sentence));
      const articleCoverage = coverageOf([facts.stems]);
      const score =
        w.phrase * phrase +
        w.article * articleCoverage +
        w.coverage * focus +
        w.context * contextCoverage +
        w.bm25 * share +
        w.cue * (kind === 'reason' ? causeStrength(sentence) : ownCue ? 1 : 0) +
        w.cue * (newPerson ? 1 : 0) +
        w.subject * (subject.namedAgent ? subjectInSentence : 1);
      candidates.push({
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
        ownCue,
        specificsPresent,
        signals: {
          kind,
          coverage,
          contextCoverage,
          askCoverage,
          bm25Share: share,
          score,
          typeMatch: cue,
          specificsPresent,
          subjectInSentence,
          subjectNear,
          questionTerms: qStems.length,
          articleCoverage,
          phrase,
          missingNear: qStems.filter((t) => !context.some((c) => c.has(t))).length,
          missingInArticle: qStems.filter((t) => !facts.stems.has(t)).length,
          missingRare: missingRare(facts.stems),
          negationMismatch: questionNegated !== near.some((set) => NEGATIONS.some((n) => set.has(n))),
        },
        answerWords: answerWords(sentence, qWords),
      });
    }
    // A sentence that cannot hold the asked kind of thing is not the answer: it ranks after
    // every one that can, however many of the question's words it repeats.
    // For "why", the sentence that states the cause itself comes before one that only sits
    // beside it: the cause is the answer, the matching neighbour is its setting.
    const holdsType = (c: Candidate): number =>
      (c.cue || !typeRequired(kind) ? 1 : 0) + (kind === 'reason' && c.ownCue && c.specificsPresent ? 1 : 0);
    candidates.sort(
      (a, b) =>
        holdsType(b) - holdsType(a) ||
        b.score - a.score ||
        Date.parse(b.publishedAt) - Date.parse(a.publishedAt),
    );
    const kept = candidates.slice(0, rankOptions.limit ?? 10);
    const agreeing = markAgreement(kept);
    return kept.map((candidate, position) => {
      const { answerWords: _unused, ...rest } = candidate;
      const other = position === 0 ? candidates[1] : candidates[0];
      const signals: ConfidenceSignals = {
        ...candidate.signals,
        margin: candidate.score - (other?.score ?? 0),
        agreement: agreeing[position] ?? false,
      };
      const confidence = answerConfidence(signals);
      return {
        ...rest,
        signals,
        confidence,
        answerable: passesGates(candidate) && confidence >= minConfidence,
      };
    });
  }

  function answer(question: string, answerOptions: AnswerOptions = {}): Promise<Answer> {
    const scoped = answerOptions.storyId !== undefined;
    const ranked = rank(question, answerOptions);
    const best = ranked[0];
    if (best === undefined || !best.answerable) return Promise.resolve(notFound('extractive', scoped));
    const picks = [best];
    const second = ranked.slice(1).find((r) => r.answerable && r.text !== best.text);
    if (second !== undefined && second.score >= secondRatio * best.score && addsToFirst(best, second))
      picks.push(second);
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
