/**
 * Include/exclude filters of a channel feed: comma-separated keywords (whole words or phrases,
 * case-insensitive) or a /regex/. Regexes run on RE2JS, a linear-time engine, so a pattern an
 * admin types can never stall the matcher; what it cannot run (backreferences, lookarounds) is
 * refused with its reason when the feed is saved.
 */
import { RE2JS } from 're2js';
import { UserError } from '../errors.ts';

const MAX_FILTER_LENGTH = 300;
const MAX_KEYWORDS = 50;

/** A compiled filter: true when the story text (see matchText) matches. */
export type StoryFilter = (text: MatchText) => boolean;

/** A story's text prepared once per batch and shared by every feed's filters. */
export interface MatchText {
  /** Original text, for regexes. */
  raw: string;
  /** Lower-case words joined by single spaces, padded with a space on each side. */
  words: string;
}

export function matchText(parts: readonly string[]): MatchText {
  const raw = parts.join('\n');
  return { raw, words: ` ${normalizeWords(raw)} ` };
}

function normalizeWords(text: string): string {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0)
    .join(' ');
}

/** `/pattern/` or `/pattern/i`: the slashes mark a regex, anything else is a keyword list. */
function regexParts(text: string): { pattern: string; flags: string } | undefined {
  const match = /^\/(.+)\/([a-z]*)$/s.exec(text);
  return match ? { pattern: match[1] ?? '', flags: match[2] ?? '' } : undefined;
}

/**
 * Compiles what an admin typed; throws UserError naming the problem (and the option) when it
 * cannot be used. Regexes are case-insensitive unless the flags say otherwise ("/…/" and "/…/i"
 * alike: news headlines capitalise freely).
 */
export function compileFilter(typed: string, option: 'include' | 'exclude'): StoryFilter {
  const text = typed.trim();
  if (text.length === 0) throw new UserError(`The ${option} filter is empty.`);
  if (text.length > MAX_FILTER_LENGTH)
    throw new UserError(`The ${option} filter is longer than ${MAX_FILTER_LENGTH} characters.`);
  const regex = regexParts(text);
  if (regex) {
    const unknownFlag = [...regex.flags].find((flag) => flag !== 'i');
    if (unknownFlag !== undefined)
      throw new UserError(
        `The ${option} regex has a flag I do not support ("${unknownFlag}"); only /…/i is.`,
      );
    let compiled: RE2JS;
    try {
      compiled = RE2JS.compile(regex.pattern, RE2JS.CASE_INSENSITIVE);
    } catch (error) {
      const reason =
        error instanceof Error ? error.message.replace(/^error parsing regexp: /, '') : 'it does not parse';
      throw new UserError(
        `I cannot run the ${option} regex safely: ${reason.slice(0, 200)}. Backreferences and lookarounds are not supported.`,
      );
    }
    // test() answers yes/no on the DFA path, without a Matcher per call.
    return (story) => compiled.test(story.raw);
  }
  const keywords = [
    ...new Set(
      text
        .split(',')
        .map(normalizeWords)
        .filter((word) => word.length > 0),
    ),
  ];
  if (keywords.length === 0) throw new UserError(`The ${option} filter has no words in it.`);
  if (keywords.length > MAX_KEYWORDS)
    throw new UserError(`The ${option} filter has more than ${MAX_KEYWORDS} keywords.`);
  const padded = keywords.map((keyword) => ` ${keyword} `);
  return (story) => padded.some((keyword) => story.words.includes(keyword));
}

/** Both filters of a feed as one predicate: include (when given) must match, exclude must not. */
export function compileFeedFilters(
  feed: { include?: string; exclude?: string },
  compile: (typed: string, option: 'include' | 'exclude') => StoryFilter = compileFilter,
): StoryFilter | undefined {
  const include = feed.include === undefined ? undefined : compile(feed.include, 'include');
  const exclude = feed.exclude === undefined ? undefined : compile(feed.exclude, 'exclude');
  if (!include && !exclude) return undefined;
  return (story) => (include === undefined || include(story)) && (exclude === undefined || !exclude(story));
}

/**
 * A compiler that compiles each distinct filter text once and remembers, per story text, what
 * each filter answered: many feeds share a filter ("crypto, bitcoin"), and a batch then asks it
 * once per story instead of once per feed.
 */
export function createSharedFilterCompiler(): (typed: string, option: 'include' | 'exclude') => StoryFilter {
  const compiled = new Map<string, StoryFilter>();
  return (typed, option) => {
    const key = typed.trim();
    const cached = compiled.get(key);
    if (cached) return cached;
    const filter = compileFilter(typed, option);
    const answers = new WeakMap<MatchText, boolean>();
    const shared: StoryFilter = (story) => {
      let answer = answers.get(story);
      if (answer === undefined) {
        answer = filter(story);
        answers.set(story, answer);
      }
      return answer;
    };
    compiled.set(key, shared);
    return shared;
  };
}
