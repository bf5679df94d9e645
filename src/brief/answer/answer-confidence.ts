/**
 * One confidence per answer: how likely the cited sentence holds what was asked. It is a
 * logistic model over signals the answerer computes anyway (how much of the question the
 * sentence covers, the margin over the next candidate, whether it holds the asked kind of
 * thing, whether it is about the question's subject, whether other sources agree). The
 * weights are fitted by `tests/bench/_ask-calibrate.ts` on one half of the SQuAD 2.0 dev
 * split (chosen by a stable hash of the article title); every reported figure comes from the
 * other half. Herald declines below `ask.minConfidence`.
 */
import { CONFIDENCE_WEIGHTS, type ConfidenceWeights } from './confidence-weights.ts';
import type { AnswerKind } from './question-cues.ts';

/** What the answerer knows about one candidate sentence when it decides to answer. */
export interface ConfidenceSignals {
  kind: AnswerKind;
  /** Share of the question's information (idf-weighted) in the sentence alone. */
  coverage: number;
  /** The same over the sentence, its neighbours and the headline. */
  contextCoverage: number;
  /** Share of what the question asks beyond the story's subject, said in or beside the sentence. */
  askCoverage: number;
  /** The passage's retrieval score relative to the best retrieved passage. */
  bm25Share: number;
  /** The candidate's ranking score (0..1). */
  score: number;
  /** Its ranking score minus the next different sentence's. */
  margin: number;
  /** Holds the asked kind of thing (a new name for "who", a number for "how many"...). */
  typeMatch: boolean;
  /** Every name and number of the question appears in the article. */
  specificsPresent: boolean;
  /** Share of the question's names the sentence itself mentions (1 when it names none). */
  subjectInSentence: number;
  /** The same over the sentence and its neighbours. */
  subjectNear: number;
  /** Another source's candidate near the top holds the same answer words. */
  agreement: boolean;
  /** How many content terms the question has. */
  questionTerms: number;
  /** Share of the question's information anywhere in the article (headline included). */
  articleCoverage: number;
  /** The rarest question term the article lacks, as a share of the question's rarest term (0: none missing). */
  missingRare: number;
  /** The question negates ("not", "never") and the sentence and its neighbours do not, or the reverse. */
  negationMismatch: boolean;
  /** Share of the question's adjacent word pairs the sentence keeps. */
  phrase: number;
  /** How many of the question's content words neither the sentence, its neighbours nor the headline hold. */
  missingNear: number;
  /** How many of them the whole article lacks (a swapped name or term). */
  missingInArticle: number;
}

/** The model's inputs, in the order of the fitted weights (the first weight is the intercept). */
export const CONFIDENCE_FEATURES = [
  'coverage',
  'contextCoverage',
  'askCoverage',
  'bm25Share',
  'score',
  'margin',
  'specificsPresent',
  'subjectInSentence',
  'subjectNear',
  'typeNumberOrTime',
  'typeName',
  'typeCauseOrManner',
  'kindOther',
  'agreement',
  'shortQuestion',
  'articleCoverage',
  'missingRare',
  'negationMismatch',
  'phrase',
  'missingNear',
  'missingInArticle',
] as const;

/**
 * The direction each feature may push the confidence: +1 only up, -1 only down. The fit keeps
 * to these, so more evidence never lowers an answer's confidence (the calibration data is one
 * kind of text; a weight that flips sign there would misjudge news).
 */
export const FEATURE_DIRECTIONS: Readonly<Record<(typeof CONFIDENCE_FEATURES)[number], 1 | -1>> = {
  coverage: 1,
  contextCoverage: 1,
  askCoverage: 1,
  bm25Share: 1,
  score: 1,
  margin: 1,
  specificsPresent: 1,
  subjectInSentence: 1,
  subjectNear: 1,
  typeNumberOrTime: 1,
  typeName: 1,
  typeCauseOrManner: 1,
  kindOther: -1,
  agreement: 1,
  shortQuestion: -1,
  articleCoverage: 1,
  missingRare: -1,
  negationMismatch: -1,
  phrase: 1,
  missingNear: -1,
  missingInArticle: -1,
};

/** Missing words count up to this many: a long question missing many is no surer a decline. */
const MISSING_CAP = 3;

const sign = (match: boolean): number => (match ? 1 : -1);

export function confidenceFeatures(s: ConfidenceSignals): number[] {
  const numeric = s.kind === 'number' || s.kind === 'time';
  const named = s.kind === 'person' || s.kind === 'place';
  const causal = s.kind === 'reason' || s.kind === 'manner';
  return [
    s.coverage,
    s.contextCoverage,
    s.askCoverage,
    s.bm25Share,
    s.score,
    s.margin,
    s.specificsPresent ? 1 : 0,
    s.subjectInSentence,
    s.subjectNear,
    numeric ? sign(s.typeMatch) : 0,
    named ? sign(s.typeMatch) : 0,
    causal ? sign(s.typeMatch) : 0,
    s.kind === 'other' ? 1 : 0,
    s.agreement ? 1 : 0,
    s.questionTerms <= 2 ? 1 : 0,
    s.articleCoverage,
    s.missingRare,
    s.negationMismatch ? 1 : 0,
    s.phrase,
    Math.min(s.missingNear, MISSING_CAP),
    Math.min(s.missingInArticle, MISSING_CAP),
  ];
}

export function answerConfidence(
  signals: ConfidenceSignals,
  model: ConfidenceWeights = CONFIDENCE_WEIGHTS,
): number {
  const features = confidenceFeatures(signals);
  let z = model.intercept;
  features.forEach((value, i) => {
    z += (model.weights[i] ?? 0) * value;
  });
  return 1 / (1 + Math.exp(-z));
}
