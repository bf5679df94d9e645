/**
 * Agreement between sources: when two different articles near the top of the ranking hold
 * the same new name or number, the answer is less likely an accident of wording.
 */
import { STOP_TERMS, words } from '../retrieval/text-terms.ts';
import { capitalizedNames } from './question-cues.ts';

/** How far down the ranking another source still counts as agreeing. */
const AGREEMENT_DEPTH = 5;

/** The names and numbers a sentence holds that the question does not. */
export function answerWords(sentence: string, questionWords: ReadonlySet<string>): ReadonlySet<string> {
  const found = new Set<string>();
  for (const name of capitalizedNames(sentence))
    if (!questionWords.has(name) && !STOP_TERMS.has(name)) found.add(name);
  for (const token of words(sentence)) if (/\d/.test(token) && !questionWords.has(token)) found.add(token);
  return found;
}

/** For each candidate, whether one from another article within the top few shares an answer word. */
export function markAgreement(
  candidates: ReadonlyArray<{ articleId: string; answerWords: ReadonlySet<string> }>,
): boolean[] {
  const top = candidates.slice(0, AGREEMENT_DEPTH);
  return candidates.map((candidate, i) =>
    i < AGREEMENT_DEPTH
      ? top.some(
          (other) =>
            other.articleId !== candidate.articleId &&
            [...candidate.answerWords].some((w) => other.answerWords.has(w)),
        )
      : false,
  );
}
