/**
 * Finds name mentions in paragraphs: runs of capitalized words (with the particles and linkers
 * names carry), stopped at sentence and paragraph boundaries, punctuation and possessives, with
 * titles stripped and the evidence around each run noted for typing. Headline-like lines (all
 * capitals) are not read as runs; their words are matched against known names later.
 * One pass over the tokens: linear in the text.
 */
import {
  ABBREVIATIONS,
  ADJECTIVE_SUFFIX,
  CALENDAR,
  COMMON,
  NEVER_ALONE,
  CONNECTORS,
  PAGE_CHROME,
  CONTRACTION,
  DESCRIPTORS,
  PARTICLES,
  PLACE_WORDS,
  SAYING,
  TITLES,
  TITLE_QUALIFIERS,
} from './name-words.ts';
import { DEMONYM_COUNTRY, PLACE_NAMES } from './places.ts';

export interface Token {
  word: string;
  /** Opens a sentence or a paragraph. */
  initial: boolean;
  /** Punctuation (a comma, a dash, a quote) separates it from the token before. */
  broken: boolean;
  /** The word carried a possessive ("Syria’s", "Workers'"), stripped from `word`. */
  possessive: boolean;
  /** A dash stands right before it: after a dateline, the story's first sentence starts here. */
  afterDash?: true;
}

/** Evidence for a mention's kind, seen around it in the text. */
export interface Cues {
  person: number;
  place: number;
  /** A side in a score line ("Crystal Palace 2 Port Vale 1"): a team. */
  team: number;
  /** Seen where people are not named ("at X"). */
  notPerson: number;
}

export interface Mention {
  words: string[];
  cues: Cues;
  /** A lone word opening a sentence with no cue: a name only if seen elsewhere as one. */
  tentative: boolean;
  paragraph: number;
  /** Opens a sentence: its first word may be an ordinary word. */
  opener: boolean;
  /** A number follows, then another name or the end of the line: a side in a score line, if there are two. */
  scored?: boolean;
  /** Written in capitals on a dateline or headline-like line: display it title-cased. */
  shouted: boolean;
}

const TOKEN = /(?:[A-Za-z]\.){2,}|[\p{L}\p{N}][\p{L}\p{N}'’‑-]*\.?|&|[.!?:]|[,;"“”()[\]—–]|\s-+\s/gu;
const PARTICLE_WORD =
  /^(?:al|el|ad|as|ash|at|az|bin|ibn|abu|abd|de|da|di|du|del|della|van|von|der|den|le|la|d|l)['’‑-]\p{Lu}/u;

export const lower = (w: string): string => w.toLowerCase();
export const isAllCaps = (w: string): boolean =>
  /^[\p{Lu}\p{N}'’‑.&-]+$/u.test(w) && /\p{Lu}.*\p{Lu}/u.test(w);
/** A word of four or more capitals: shouted text rather than an acronym like "UN" or "BBC". */
const isShout = (w: string): boolean => isAllCaps(w) && w.length >= 4;
export const isCapitalized = (w: string): boolean => /^\p{Lu}/u.test(w) || PARTICLE_WORD.test(w);

/** "AL-AIN" -> "Al-Ain", "MOSCOW" -> "Moscow". */
export function titleCase(word: string): string {
  return word
    .toLowerCase()
    .replace(/(^|[\s'’‑-])(\p{L})/gu, (_m, sep: string, c: string) => sep + c.toUpperCase());
}

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let initial = true;
  let broken = false;
  let dash = false;
  for (const m of text.matchAll(TOKEN)) {
    const raw = m[0];
    if (/^[.!?:]$/.test(raw)) {
      initial = true;
      continue;
    }
    const wasDash = dash;
    dash = /^(?:[—–]|\s-+\s)$/.test(raw);
    if (dash) {
      broken = true;
      continue;
    }
    // "Hong Kong-based", "We've": a word that cannot be part of a name ends any name before it.
    if (CONTRACTION.test(raw)) {
      out.push({ word: raw.toLowerCase(), initial, broken, possessive: false });
      initial = false;
      broken = true;
      continue;
    }
    // "Hong Kong-based": the name is kept, the adjective ending ends it.
    if (ADJECTIVE_SUFFIX.test(raw)) {
      out.push({ word: raw.replace(ADJECTIVE_SUFFIX, ''), initial, broken, possessive: false });
      initial = false;
      broken = true;
      continue;
    }
    if (!/[\p{L}\p{N}&]/u.test(raw)) {
      broken = true;
      continue;
    }
    const dotted = raw.endsWith('.') && !/^(?:[A-Za-z]\.){2,}$/.test(raw);
    let word = dotted ? raw.slice(0, -1) : raw;
    let possessive = false;
    // "Workers'" keeps its apostrophe: inside "Harbour Workers' Union" it is part of the name.
    const stripped = word.replace(/['’]s$|(?<![sS])['’]$/u, '');
    if (stripped !== word && stripped.length > 0) {
      word = stripped;
      possessive = true;
    }
    out.push(
      wasDash
        ? { word, initial, broken, possessive, afterDash: true }
        : { word, initial, broken, possessive },
    );
    broken = false;
    // A period after an abbreviation ("Gen.", "Corp.") or an initial ("W.") ends nothing.
    initial = dotted && !ABBREVIATIONS.has(lower(word)) && !/^\p{Lu}$/u.test(word);
  }
  return out;
}

/** A line mostly in capitals (a headline, a dateline, a table header) says nothing by case. */
export function isShouting(tokens: readonly Token[]): boolean {
  let caps = 0;
  let letters = 0;
  for (const t of tokens) {
    if (!/\p{L}{2}/u.test(t.word)) continue;
    letters++;
    if (isAllCaps(t.word)) caps++;
  }
  return letters > 0 && caps / letters >= 0.6;
}

const connectsNames = (tokens: readonly Token[], at: number): number => {
  // One or two lower-case linkers followed by a capitalized word: "of", "van der", "bin".
  for (let n = 1; n <= 2; n++) {
    const t = tokens[at + n - 1];
    if (!t || t.initial || t.broken || !CONNECTORS.has(lower(t.word)) || isCapitalized(t.word)) return 0;
    const next = tokens[at + n];
    if (next && !next.initial && !next.broken && isCapitalized(next.word) && !COMMON.has(lower(next.word)))
      return n;
  }
  return 0;
};

/** Mentions in one ordinary paragraph (not a headline-like line). */
/** A dateline is a place, maybe a state and an agency: its closing dash comes within a few words. */
const DATELINE_TOKENS = 8;

export function paragraphMentions(tokens: readonly Token[], paragraph: number): Mention[] {
  const out: Mention[] = [];
  // A dateline ("AL-AIN, United Arab Emirates" / "HOBART 1996-12-06"): the capitals opening it are a place.
  const first = tokens[0];
  const second = tokens[1];
  let i = 0;
  if (
    first &&
    isAllCaps(first.word) &&
    first.word.length > 2 &&
    (!second || second.broken || /^\d/.test(second.word))
  ) {
    out.push({
      words: [titleCase(first.word)],
      cues: { person: 0, place: 1, team: 0, notPerson: 0 },
      tentative: false,
      paragraph,
      opener: false,
      shouted: false,
    });
    i = 1;
    // "CALDERA (Wire) — Dockworkers at the port…": the dash closes the dateline and the word
    // after it opens the story's first sentence, so its capital says nothing about a name.
    const opening = tokens.findIndex((t, at) => at <= DATELINE_TOKENS && t.afterDash === true);
    if (opening > 0) tokens = tokens.map((t, at) => (at === opening ? { ...t, initial: true } : t));
  }
  while (i < tokens.length) {
    const start = tokens[i] as Token;
    if (!isCapitalized(start.word)) {
      i++;
      continue;
    }
    const words: string[] = [start.word];
    let j = i + 1;
    let ended = start.possessive;
    while (!ended && j < tokens.length) {
      const t = tokens[j] as Token;
      if (t.initial || t.broken) break;
      if (isCapitalized(t.word)) {
        const w = lower(t.word);
        if (
          COMMON.has(w) ||
          CALENDAR.has(w) ||
          (isShout(t.word) && !isAllCaps(start.word)) ||
          (isShout(start.word) && !isAllCaps(t.word))
        )
          break;
        words.push(t.word);
        j++;
        if (t.possessive) ended = true;
        continue;
      }
      const linkers = connectsNames(tokens, j);
      if (linkers > 0) {
        for (let k = 0; k < linkers; k++) words.push((tokens[j + k] as Token).word);
        j += linkers;
        continue;
      }
      if (lower(t.word) === 'and' && joinsPlace(words, tokens[j + 1])) {
        words.push('and');
        j++;
        continue;
      }
      break;
    }
    const mention = clean(words, start.initial, paragraph, tokens, i, j);
    if (mention) out.push(mention);
    i = j;
  }
  // Only a line with two names each followed by a number is a score line; one is a time or a tally.
  if (out.filter((m) => m.scored).length >= 2) for (const m of out) if (m.scored) m.cues.team++;
  return out;
}

// "Trinidad and Tobago", "Bosnia and Herzegovina": "and" links only a known place's two halves.
function joinsPlace(words: string[], next: Token | undefined): boolean {
  return next !== undefined && PLACE_NAMES.has(lower(`${words.join(' ')} and ${next.word}`));
}

function clean(
  words: string[],
  initial: boolean,
  paragraph: number,
  tokens: readonly Token[],
  start: number,
  end: number,
): Mention | undefined {
  const before = tokens[start - 1];
  const cues: Cues = { person: 0, place: 0, team: 0, notPerson: 0 };
  let k = 0;
  const w = (n: number): string => lower(words[n] ?? '');
  while (k < words.length && (COMMON.has(w(k)) || CALENDAR.has(w(k)) || CONNECTORS.has(w(k)))) k++;
  // A title may carry qualifiers ("Foreign Minister", "former Gen."): strip through the last
  // title word, but leave qualifiers no title follows ("Foreign Office").
  for (
    let j = k;
    j < words.length - 1 && (TITLES.has(w(j)) || TITLE_QUALIFIERS.has(w(j)) || DEMONYM_COUNTRY.has(w(j)));
    j++
  ) {
    if (TITLES.has(w(j))) {
      cues.person++;
      k = j + 1;
    }
  }
  // "Duke of Norfolk", "Governor of Michoacan": what follows "of" after a title is a place.
  if (cues.person > 0 && w(k) === 'of') {
    cues.person = 0;
    cues.place++;
  }
  while (k < words.length && CONNECTORS.has(w(k))) k++;
  const rest = words.slice(k);
  if (rest.length > 0) rest[rest.length - 1] = (rest[rest.length - 1] as string).replace(/['’]$/u, '');
  while (
    rest.length > 0 &&
    (CONNECTORS.has(lower(rest[rest.length - 1] as string)) ||
      lower(rest[rest.length - 1] as string) === 'and')
  )
    rest.pop();
  if (rest.length === 0) return undefined;
  const only = lower(rest[0] as string);
  if (
    rest.length === 1 &&
    (COMMON.has(only) ||
      TITLES.has(only) ||
      CALENDAR.has(only) ||
      NEVER_ALONE.has(only) ||
      PARTICLES.has(only) ||
      DESCRIPTORS.has(only))
  )
    return undefined;
  // Menus, prompts, banners and footers in capitals ("LATEST NEWS", "SIGN IN") label the page.
  if (rest.every((word) => isAllCaps(word) && isChromeOrCommon(word))) return undefined;
  // Several words all in capitals in a mixed line are a table header or a label ("TAX STAT").
  const shouted = rest.length > 1 && rest.every(isAllCaps);
  // Evidence around the run: a title or a verb of saying for a person, a place word for a place.
  const prev = before ? lower(before.word) : '';
  if (k === 0 && TITLES.has(prev) && !before?.broken) cues.person++;
  // Saying is weaker evidence than a title: agencies and governments "say" too.
  if (SAYING.has(prev) && !before?.broken) cues.person += 0.5;
  const after = tokens[end];
  if (after && !after.initial && SAYING.has(lower(after.word))) cues.person += 0.5;
  if (after?.broken && /^\d{1,2}$/.test(after.word) && tokens[end + 1]?.broken) cues.person++;
  // "Michelle Freeman (Jamaica) 12.71": a nationality in brackets after a name, as results
  // lists give it; but "Red Star (Yugoslavia) 76 Dinamo (Russia) 71" is a score line of teams.
  const bracketed =
    after?.broken === true &&
    (PLACE_NAMES.has(lower(after.word)) || /^\p{Lu}{3}$/u.test(after.word)) &&
    tokens[end + 1]?.broken === true;
  const scoreAt = bracketed ? end + 1 : end;
  const score = tokens[scoreAt];
  const next = tokens[scoreAt + 1];
  const scored =
    score !== undefined &&
    /^\d{1,3}$/.test(score.word) &&
    !score.initial &&
    (bracketed || !score.broken) &&
    (!next || (isCapitalized(next.word) && !next.broken));
  if (isStandingsRow(tokens, end)) cues.team++;
  if (!scored && bracketed) cues.person += 0.5;
  if (
    after &&
    !after.initial &&
    !isCapitalized(after.word) &&
    (PLACE_WORDS.has(lower(after.word)) ||
      (PLACE_WORDS.has(lower(tokens[end + 1]?.word ?? '')) && lower(after.word) === 'air'))
  )
    cues.place++;
  // "in Tunbridge Wells", "near Hmeimim": a locative preposition before a name.
  if (k === 0 && !before?.broken && (prev === 'in' || prev === 'near' || prev === 'outside')) cues.place++;
  // "at Tunbridge Wells", "at Johnson Controls": a place or an organization, rarely a person.
  if (k === 0 && !before?.broken && prev === 'at') cues.notPerson++;
  const twoBefore = tokens[start - 2];
  if (prev === 'of' && twoBefore && PLACE_WORDS.has(lower(twoBefore.word)) && !isCapitalized(twoBefore.word))
    cues.place++;
  // A table row ("Warwickshire 352 ...") names its subject even at the start of a line.
  const rowLabel = initial && /^\d/.test(after?.word ?? '') && !after?.initial;
  const tentative =
    rest.length === 1 && initial && k === 0 && cues.person === 0 && cues.place === 0 && !rowLabel;
  return { words: rest, cues, tentative, paragraph, opener: initial && k === 0, shouted, scored };
}

const isChromeOrCommon = (word: string): boolean =>
  PAGE_CHROME.has(lower(word)) || COMMON.has(lower(word)) || CONNECTORS.has(lower(word));

/**
 * A league table row: a name, then five or more counts, most of them small (played, won,
 * drawn, lost...). A golfer's row has round scores in the sixties and seventies instead.
 */
function isStandingsRow(tokens: readonly Token[], end: number): boolean {
  let numbers = 0;
  let small = 0;
  for (let i = end; i < tokens.length && i < end + 12; i++) {
    const word = (tokens[i] as Token).word;
    if (!/^\d+$/.test(word)) break;
    numbers++;
    if (Number(word) <= 20) small++;
  }
  return numbers >= 5 && small >= 3;
}
