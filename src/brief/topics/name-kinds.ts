/**
 * What kind of name a run of capitalized words is, from its shape (organization and place
 * words, a personal name's shape, an acronym) and from the evidence counted around its
 * mentions (titles, verbs of saying, locatives, score lines and tables).
 */
import { isAllCaps, lower } from './name-mentions.ts';
import {
  CONNECTORS,
  DESCRIPTORS,
  EVENT_WORDS,
  GIVEN_NAMES,
  NOT_GIVEN_NAMES,
  ORG_HEADS,
  ORG_WORDS,
  PLACE_WORDS,
} from './name-words.ts';
import { DEMONYM_COUNTRY, PLACE_NAMES } from './places.ts';

export type EntityKind = 'person' | 'place' | 'organization' | 'other';

/** A name and the evidence counted over its mentions. */
export interface KindEvidence {
  /** Its entity topic key. */
  key: string;
  words: readonly string[];
  person: number;
  place: number;
  team: number;
  notPerson: number;
}

const SIGNIFICANT = (word: string): boolean => /^\p{Lu}/u.test(word);
const lastWord = (words: readonly string[]): string => lower(words[words.length - 1] ?? '');

/** Ends in an organization word, or opens with one and runs on ("Bank of England"). */
export function isOrgShaped(words: readonly string[]): boolean {
  if (ORG_WORDS.has(lastWord(words)) || (words.length > 2 && ORG_HEADS.has(lower(words[0] ?? ''))))
    return true;
  // "Board of Trade", "Organisation for Security and Cooperation": an organization word before "of".
  return words.some((w, i) => ORG_WORDS.has(lower(w)) && (words[i + 1] === 'of' || words[i + 1] === 'for'));
}

/** "Syrian Democratic Forces" -> "sdf"; only for names of three or more capitalized words, or organizations. */
export function acronymOf(words: readonly string[]): string | undefined {
  const initials = words.filter(SIGNIFICANT).map((w) => w[0] ?? '');
  if (initials.length < 2 || (initials.length < 3 && !isOrgShaped(words))) return undefined;
  return initials.join('').toLowerCase();
}

/** "al-Sharaa" -> "sharaa": the name without its particle. */
export const withoutParticle = (word: string): string =>
  word.replace(/^(?:al|el|ad|as|ash|at|az|bin|ibn|abu|abd|d|l)['’‑-]/i, '');

/**
 * Two to four words shaped like a personal name: none of them a place, a nationality, an
 * organization, place or event word, or (when the text is known) an ordinary word the text
 * also writes in lower case ("Financial Data").
 */
export function looksPersonal(words: readonly string[], lowerWords?: ReadonlySet<string>): boolean {
  if (words.length < 2 || words.length > 4) return false;
  if (PLACE_NAMES.has(lower(words.join(' '))) || isOrgShaped(words)) return false;
  const last = lastWord(words);
  if (
    PLACE_WORDS.has(last) ||
    EVENT_WORDS.has(last) ||
    NOT_GIVEN_NAMES.has(lower(words[0] ?? '')) ||
    last.length === 1
  )
    return false;
  // "New York Yankees", "San Diego Padres": a known place inside is not a personal name.
  if (words.some((w, i) => i + 1 < words.length && PLACE_NAMES.has(lower(`${w} ${words[i + 1] ?? ''}`))))
    return false;
  return words.every((w) => {
    // "Lawrence of Arabia", "Use of Proceeds", "Johnson & Johnson": not a person's name.
    if (w === '&' || w === 'of' || w === 'for') return false;
    const l = lower(w);
    if (CONNECTORS.has(l)) return true;
    return (
      /^[\p{L}.'’‑-]+$/u.test(w) &&
      !isAllCaps(w) &&
      !PLACE_NAMES.has(l) &&
      !DEMONYM_COUNTRY.has(l) &&
      !DESCRIPTORS.has(l) &&
      !ORG_WORDS.has(l) &&
      !(lowerWords?.has(l) ?? false)
    );
  });
}

/** The kind the evidence for a name supports, strongest evidence first. */
export function kindOf(f: KindEvidence, lowerWords: ReadonlySet<string>): EntityKind {
  const words = f.words;
  if (PLACE_NAMES.has(f.key) || PLACE_NAMES.has(lower(words.join(' ')))) return 'place';
  if (isOrgShaped(words)) return 'organization';
  if (PLACE_WORDS.has(lastWord(words)) && words.length > 1) return 'place';
  const acronym = words.length === 1 && /^(?:\p{Lu}{2,6}|(?:\p{Lu}\.){2,})$/u.test(words[0] ?? '');
  // One word needs a title ("President Assad") or to be a known surname; "Reuters said" is not enough.
  const given = GIVEN_NAMES.has(lower(words[0] ?? '')) && !PLACE_NAMES.has(f.key) && !isOrgShaped(words);
  // "Red Star", "West Hartlepool": weak cues do not make a person of a name shaped like a place or team.
  if (words.length > 1 && NOT_GIVEN_NAMES.has(lower(words[0] ?? '')) && f.person < 1)
    return f.place > 0 ? 'place' : 'other';
  const personal =
    given ||
    (words.length === 1
      ? f.person >= 1 && !acronym
      : f.person >= 1 || (f.person > 0 && looksPersonal(words, lowerWords)));
  if (f.team > f.person && f.team > f.place) return 'organization';
  if (personal && f.person >= f.place) return 'person';
  if (f.place > 0) return 'place';
  if (acronym) return 'organization';
  if (f.notPerson === 0 && looksPersonal(words, lowerWords)) return 'person';
  return 'other';
}
