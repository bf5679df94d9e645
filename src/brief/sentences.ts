/**
 * Word tokens shared by summaries, ROUGE and retrieval. Sentences are cut by the one splitter
 * in src/text, re-exported here for the brief's modules.
 */
import { FUNCTION_WORDS } from '../text/function-words.ts';

export { paragraphSentences, splitSentences } from '../text/sentences.ts';

/** Lower-case word tokens (letters and digits; punctuation and apostrophes split words). */
export function tokenizeWords(text: string): string[] {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** A small English stopword list for scoring (not for ROUGE, which counts every token). */
export const STOPWORDS: ReadonlySet<string> = new Set([
  ...FUNCTION_WORDS,
  // Reporting verbs and news fillers that every story repeats.
  'now',
  'said',
  'says',
  'new',
  'one',
  'told',
  'according',
  'like',
  'get',
  'got',
  'year',
]);
