/**
 * What every answerer returns. `/ask`, the button from `/story` and the command line all
 * render this one shape; the command line's JSON is `{ answer, found, citations }`.
 */
import type { Audience } from '../../news/types.ts';

/** One numbered source behind an answer; the number is its position in `citations`, from 1. */
export interface Citation {
  storyId: string;
  /** The article's headline. */
  title: string;
  url?: string;
  /** The exact sentence (or span) the answer rests on, as it appears in the article. */
  quote: string;
}

export interface Answer {
  /** Short answer text with markers [1], [2] pointing into `citations`; or the not-found line. */
  answer: string;
  /** False when Herald could not find it in the stories it has; then `citations` is empty. */
  found: boolean;
  citations: Citation[];
  /** Which path produced it, for logs and /status; not part of the user-facing JSON. */
  via: 'extractive' | 'model';
}

export interface AnswerOptions {
  /** Keep to one story (a scoped follow-up). */
  storyId?: string;
  /** Draw only on stories this audience sees; every story when absent (benchmarks, tests). */
  audience?: Audience;
}

/** Anything that answers a question from the cached stories. */
export interface Answerer {
  answer(question: string, options?: AnswerOptions): Promise<Answer>;
}

/** The plain line for "not in the stories Herald has". Never a guess. */
export const NOT_FOUND_TEXT = "I couldn't find that in the stories Herald has.";
export const NOT_FOUND_IN_STORY_TEXT = "I couldn't find that in this story.";

export function notFound(via: Answer['via'], scoped: boolean): Answer {
  return { answer: scoped ? NOT_FOUND_IN_STORY_TEXT : NOT_FOUND_TEXT, found: false, citations: [], via };
}
