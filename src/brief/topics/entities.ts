/**
 * Offline named-entity extraction: runs of capitalized words, cleaned of sentence-initial
 * common words and of titles, then typed by cues: a title ("President", "Gen.") marks a
 * person, a suffix ("Inc", "Ministry", "University") an organization, a known name a place.
 * It is a heuristic, not a model: good enough to let a reader follow "Syria" or "NASA".
 */
import { DEMONYM_COUNTRY, PLACE_NAMES } from './places.ts';

/** A name found in the text and how often it was mentioned. */
export interface Entity {
  name: string;
  kind: 'person' | 'place' | 'organization' | 'other';
  count: number;
}

const TITLES = new Set(
  `mr mrs ms miss dr prof sir dame lord lady rev president vice prime minister premier chancellor
  secretary sen senator rep representative gov governor mayor gen general lt col colonel maj major capt
  captain adm admiral sgt cmdr king queen prince princess pope cardinal bishop archbishop sheikh
  ayatollah imam rabbi judge justice coach chairman chairwoman ceo chief executive director
  ambassador envoy spokesman spokeswoman commissioner inspector detective officer agent`
    .split(/\s+/)
    .filter(Boolean),
);

const ORG_SUFFIXES = new Set(
  `inc corp corporation co ltd llc plc ag sa gmbh group bank ministry party university college
  institute council committee agency association foundation commission department court airlines
  airways motors technologies systems holdings fund organization organisation union federation league
  club times post journal news network senate congress parliament assembly army navy police church
  hospital school office board authority service reserve exchange company partners capital industries
  nations
  pharmaceuticals labs laboratories communications media studios records press`
    .split(/\s+/)
    .filter(Boolean),
);

const ORG_HEADS = new Set(['bank', 'ministry', 'university', 'department', 'bureau', 'house', 'church']);

// Capitalized words that start sentences or fill headlines without naming anything.
const COMMON = new Set(
  `a an the this that these those there here it its he she they we you i his her their our my
  in on at by for from with without after before during while when where why how what who which
  but and or so yet if as also then than though although because since until unless once
  officials police some many most more few several all both each every no not one two three new
  today yesterday tomorrow monday tuesday wednesday thursday friday saturday sunday
  january february march april may june july august september october november december
  according however meanwhile still just even only despite under over about against among into
  later earlier now last next first finally separately instead overall indeed already soon
  afterwards elsewhere together again recently currently previously perhaps maybe yes no
  said says say asked told added shares stocks analysts investors people experts critics supporters
  news update breaking exclusive analysis opinion editorial photo video watch read`
    .split(/\s+/)
    .filter(Boolean),
);

const TITLE_QUALIFIERS = new Set(
  `foreign defense defence finance interior deputy acting former interim chief senior vice state
  home health trade justice energy economy labor labour education transport attorney first grand`
    .split(/\s+/)
    .filter(Boolean),
);

const ABBREVIATIONS = new Set(
  'mr mrs ms dr prof rev st sen rep gov gen lt col maj capt adm sgt cmdr jr sr inc corp co ltd mt ft vs no'.split(' '),
);

const CONNECTORS = new Set(['of', 'de', 'la', 'del', 'da', 'van', 'von', 'bin', 'al', '&', 'for', 'and']);

const ALIASES: Record<string, string> = {
  us: 'united states', usa: 'united states', 'united states of america': 'united states', america: 'united states',
  uk: 'united kingdom', britain: 'united kingdom', 'great britain': 'united kingdom',
  un: 'united nations', eu: 'european union', uae: 'united arab emirates',
  'north korean': 'north korea', dprk: 'north korea', burma: 'myanmar', mideast: 'middle east',
};

/**
 * The key an entity topic is stored and matched under: lower case, dots and "the" dropped,
 * spaces collapsed, and a handful of aliases folded ("U.S." and "United States" meet).
 */
export function entityTopicKey(name: string): string {
  const key = name
    .toLowerCase()
    .replace(/\b((?:[a-z]\.){2,})/g, (m) => m.replace(/\./g, ''))
    .replace(/[“”"'’.,;:!?()]+/g, ' ')
    .replace(/^\s*the\s+/, '')
    .replace(/\s+/g, ' ')
    .trim();
  return ALIASES[key] ?? key;
}

interface Token {
  word: string;
  /** True when the token opens a sentence (start of text or after . ! ? :). */
  initial: boolean;
  /** True when punctuation (a comma, a dash) separates it from the token before. */
  broken: boolean;
}

function tokens(text: string): Token[] {
  const out: Token[] = [];
  let initial = true;
  let broken = false;
  for (const m of text.matchAll(/(?:[A-Za-z]\.){2,}|[\p{L}\p{N}][\p{L}\p{N}'’-]*\.?|&|[.!?:]|[,;"“”()—–]|\s-+\s/gu)) {
    const raw = m[0];
    if (/^[.!?:]$/.test(raw)) { initial = true; continue; }
    if (!/[\p{L}\p{N}&]/u.test(raw)) { broken = true; continue; }
    const dotted = raw.endsWith('.') && !/^(?:[A-Za-z]\.){2,}$/.test(raw);
    const word = dotted ? raw.slice(0, -1) : raw;
    out.push({ word, initial, broken });
    broken = false;
    // A period after an abbreviation ("Gen.", "Corp.") or an initial ("W.") ends nothing;
    // after any other word it ends the sentence.
    initial = dotted && !ABBREVIATIONS.has(word.toLowerCase()) && !/^[A-Z]$/.test(word);
  }
  return out;
}

const isCapitalized = (w: string): boolean => /^[\p{Lu}]/u.test(w) || /^(?:[A-Z]\.){2,}$/.test(w);

interface Mention {
  words: string[];
  person: boolean;
  /** A lone capitalized word opening a sentence: counted only if the name is seen elsewhere. */
  tentative: boolean;
  /** A run of several words opening a sentence: its first word may be an ordinary word. */
  opener: boolean;
}

function mentions(text: string): Mention[] {
  const list = tokens(text);
  const out: Mention[] = [];
  let i = 0;
  while (i < list.length) {
    const start = list[i] as Token;
    if (!isCapitalized(start.word)) { i++; continue; }
    const words: string[] = [];
    let j = i;
    while (j < list.length) {
      const t = list[j] as Token;
      if (j > i && (t.initial || t.broken || COMMON.has(t.word.toLowerCase()))) break;
      if (isCapitalized(t.word)) { words.push(t.word); j++; continue; }
      const next = list[j + 1];
      if (CONNECTORS.has(t.word.toLowerCase()) && next && !next.initial && !next.broken && isCapitalized(next.word) && t.word !== 'and') {
        words.push(t.word); j++; continue;
      }
      break;
    }
    out.push(...clean(words, start.initial));
    i = Math.max(j, i + 1);
  }
  return out;
}

// Drops leading common words and titles, noting a title as evidence of a person.
function clean(words: string[], sentenceInitial: boolean): Mention[] {
  let person = false;
  let k = 0;
  const lower = (i: number): string => (words[i] ?? '').toLowerCase();
  while (k < words.length && (COMMON.has(lower(k)) || CONNECTORS.has(lower(k)))) k++;
  // A title may carry qualifiers ("Foreign Minister", "former Gen."): strip through the last
  // title word, but leave qualifiers that no title follows ("Foreign Office").
  for (let j = k; j < words.length - 1 && (TITLES.has(lower(j)) || TITLE_QUALIFIERS.has(lower(j))); j++) {
    if (TITLES.has(lower(j))) {
      person = true;
      k = j + 1;
    }
  }
  const rest = words.slice(k);
  while (rest.length > 0 && CONNECTORS.has((rest[rest.length - 1] as string).toLowerCase())) rest.pop();
  if (rest.length === 0) return [];
  const only = (rest[0] as string).toLowerCase();
  if (rest.length === 1 && (COMMON.has(only) || TITLES.has(only))) return [];
  // A lone sentence-initial word with no cue is most often an ordinary word ("Analysts").
  const tentative = rest.length === 1 && sentenceInitial && k === 0 && !PLACE_NAMES.has(only) &&
    !DEMONYM_COUNTRY.has(only) && !/^[A-Z]{2,}$/.test(rest[0] as string);
  return [{ words: rest, person, tentative, opener: sentenceInitial && k === 0 && rest.length > 1 }];
}

function kindOf(name: string, personCue: boolean): Entity['kind'] {
  const words = name.split(' ');
  const lower = name.toLowerCase();
  const last = (words[words.length - 1] ?? '').toLowerCase().replace(/\.$/, '');
  const first = (words[0] ?? '').toLowerCase();
  if (PLACE_NAMES.has(lower) || PLACE_NAMES.has(entityTopicKey(name))) return 'place';
  if (ORG_SUFFIXES.has(last) || (ORG_HEADS.has(first) && words.length > 2)) return 'organization';
  if (personCue) return 'person';
  if (/^(?:[A-Z]{2,6}|(?:[A-Z]\.){2,})$/.test(name)) return 'organization';
  // "George W. Bush": a middle initial is a strong sign of a personal name.
  if (words.length === 3 && /^[A-Z]\.?$/.test(words[1] ?? '')) return 'person';
  return 'other';
}

/** Named people, places and organizations in `text`, most mentioned first. */
export function extractEntities(text: string): Entity[] {
  const found = new Map<string, Entity & { order: number }>();
  const add = (name: string, kind: Entity['kind']): void => {
    const key = entityTopicKey(name);
    const seen = found.get(key);
    if (seen) {
      seen.count++;
      if (seen.kind === 'other' && kind !== 'other') seen.kind = kind;
      return;
    }
    found.set(key, { name, kind, count: 1, order: found.size });
  };
  const all = mentions(text);
  // Names seen in a trustworthy position, and the last words of multiword ones.
  const known = new Set<string>();
  const surnames = new Set<string>();
  for (const m of all) {
    const last = (m.words[m.words.length - 1] as string).toLowerCase();
    // "Union" ending "Port Workers' Union" is no surname: "Union leader …" opens a sentence.
    if (!m.tentative && m.words.length > 1 && !ORG_SUFFIXES.has(last)) surnames.add(last);
    if (!m.tentative) known.add(entityTopicKey(m.words.join(' ')));
  }
  for (const m of all) {
    // "Yesterday Kenya …": drop the opener's first word when the rest is a name on its own.
    const tail = m.words.slice(1).join(' ');
    if (m.opener && (known.has(entityTopicKey(tail)) || PLACE_NAMES.has(tail.toLowerCase()))) m.words = m.words.slice(1);
    const name = m.words.join(' ');
    if (m.tentative && !surnames.has(name.toLowerCase()) && !known.has(entityTopicKey(name))) continue;
    const demonym = m.words.length === 1 ? DEMONYM_COUNTRY.get(name.toLowerCase()) : undefined;
    if (demonym) add(demonym, 'place');
    else add(name, kindOf(name, m.person));
  }
  // A surname on its own ("Blair") is the same person as the full name seen elsewhere.
  for (const [key, entity] of found) {
    if (key.includes(' ')) continue;
    const full = [...found.values()].find((e) => e.kind === 'person' && e !== entity && entityTopicKey(e.name).endsWith(` ${key}`));
    if (full) {
      full.count += entity.count;
      found.delete(key);
    }
  }
  return [...found.values()]
    .sort((a, b) => b.count - a.count || a.order - b.order)
    .map(({ name, kind, count }) => ({ name, kind, count }));
}
