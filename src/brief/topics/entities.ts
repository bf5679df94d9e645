/**
 * Offline named-entity finding: the people, places and organizations a story names, each in
 * its canonical (longest) form with the shorter forms the story also uses linked to it as
 * aliases ("Putin" to "Vladimir Putin", "SDF" to "Syrian Democratic Forces"). Kinds come from
 * the evidence a reader uses: titles and verbs of saying, a gazetteer of places, words that
 * make an organization or a place. Headlines in capitals are matched against the names the
 * body spells out. Every step is one pass or a map lookup: linear in the text.
 */
import {
  isAllCaps,
  isCapitalized,
  isShouting,
  lower,
  paragraphMentions,
  titleCase,
  tokenize,
  type Mention,
} from './name-mentions.ts';
import { acronymOf, kindOf, looksPersonal, withoutParticle, type EntityKind } from './name-kinds.ts';
import { CALENDAR, COMMON, CONNECTORS, DESCRIPTORS, NEVER_ALONE } from './name-words.ts';
import { DEMONYM_COUNTRY, PLACE_NAMES } from './places.ts';

export type { EntityKind } from './name-kinds.ts';

/** A name found in the text and how often it was mentioned (aliases included). */
export interface Entity {
  name: string;
  kind: EntityKind;
  count: number;
}

/** A name with what makes it worth following: its aliases and where it was mentioned. */
export interface NamedEntity extends Entity {
  /** Shorter forms the text used for it ("Putin", "SDF"), as written. */
  aliases: string[];
  /** Mentions in the headline. */
  inTitle: number;
  /** Index of the first paragraph that mentions it (-1: headline only). */
  firstParagraph: number;
}

/** Other ways news writes a name, by key, and the one name they all are. */
const ALIASES: Record<string, string> = {
  us: 'United States',
  usa: 'United States',
  'united states of america': 'United States',
  america: 'United States',
  uk: 'United Kingdom',
  britain: 'United Kingdom',
  'great britain': 'United Kingdom',
  un: 'United Nations',
  eu: 'European Union',
  uae: 'United Arab Emirates',
  'north korean': 'North Korea',
  dprk: 'North Korea',
  burma: 'Myanmar',
  mideast: 'Middle East',
};
/** The names the aliases fold into, by their key ("united states" → "United States"). */
const ALIASED_NAMES = new Map(Object.values(ALIASES).map((name) => [name.toLowerCase(), name]));

/**
 * The one name shown for a name news writes several ways ("U.S.", "America" and "United
 * States" are all "United States"), or undefined for a name with no other forms known.
 */
export function aliasedName(name: string): string | undefined {
  return ALIASED_NAMES.get(entityTopicKey(name));
}

/**
 * The key an entity topic is stored and matched under: lower case, possessives, dots and "the"
 * dropped, spaces collapsed, and a handful of aliases folded ("U.S." and "United States" meet).
 */
export function entityTopicKey(name: string): string {
  const key = name
    .toLowerCase()
    .replace(/\b((?:[a-z]\.){2,})/g, (m) => m.replace(/\./g, ''))
    .replace(/['’]s\b|(?<=s)['’](?=\s|$)/g, '')
    .replace(/[“”"'’.,;:!?()]+/g, ' ')
    .replace(/^\s*the\s+/, '')
    .replace(/\s+/g, ' ')
    .trim();
  return ALIASES[key]?.toLowerCase() ?? key;
}

/**
 * Every key a name answers to in matching: its own key, and the short forms a story uses for
 * it (a surname for a personal name, an acronym for an organization). Derived from the name
 * alone, so stories stored before aliases existed match "Putin" too.
 */
export function entityMatchKeys(name: string): string[] {
  const key = entityTopicKey(name);
  const words = name.trim().split(/\s+/);
  const keys = new Set([key]);
  if (words.length > 1 && !PLACE_NAMES.has(key)) {
    const acronym = acronymOf(words);
    if (acronym) keys.add(acronym);
    if (looksPersonal(words)) {
      const surname = entityTopicKey(words[words.length - 1] ?? '');
      keys.add(surname);
      keys.add(entityTopicKey(withoutParticle(words[words.length - 1] ?? '')));
    }
  }
  keys.delete('');
  return [...keys];
}

interface Found {
  key: string;
  words: string[];
  spellings: Map<string, number>;
  count: number;
  person: number;
  place: number;
  team: number;
  notPerson: number;
  /** Mentions in ordinary text (not a lone word opening a sentence). */
  firm: number;
  inTitle: number;
  firstParagraph: number;
  aliases: Set<string>;
  demonymOnly: boolean;
}

/** What the finder reads: an optional headline and the body's paragraphs. */
export interface NameSource {
  title?: string;
  paragraphs: readonly string[];
}

/** Named people, places and organizations in a story, most salient first. */
export function findNames({ title = '', paragraphs }: NameSource): NamedEntity[] {
  const found = new Map<string, Found>();
  const lowerWords = new Set<string>();
  const mentions: Mention[] = [];
  const shoutedLines: { words: string[]; paragraph: number }[] = [];
  paragraphs.forEach((text, paragraph) => {
    const tokens = tokenize(text);
    for (const t of tokens) if (/^\p{Ll}/u.test(t.word)) lowerWords.add(t.word);
    if (isShouting(tokens)) shoutedLines.push({ words: tokens.map((t) => t.word), paragraph });
    else mentions.push(...paragraphMentions(tokens, paragraph));
  });

  const add = (
    words: string[],
    m: Pick<Mention, 'cues' | 'paragraph' | 'tentative'>,
    demonym = false,
  ): Found => {
    const name = words.join(' ');
    const key = entityTopicKey(name);
    let f = found.get(key);
    if (!f) {
      f = {
        key,
        words,
        spellings: new Map(),
        count: 0,
        person: 0,
        place: 0,
        team: 0,
        notPerson: 0,
        firm: 0,
        inTitle: 0,
        firstParagraph: m.paragraph,
        aliases: new Set(),
        demonymOnly: demonym,
      };
      found.set(key, f);
    }
    if (!demonym) {
      f.demonymOnly = false;
      f.spellings.set(name, (f.spellings.get(name) ?? 0) + 1);
      if (!m.tentative) f.firm++;
    }
    f.count++;
    f.person += m.cues.person;
    f.place += m.cues.place;
    f.team += m.cues.team;
    f.notPerson += m.cues.notPerson;
    return f;
  };

  for (const m of mentions) {
    if (m.shouted) {
      shoutedLines.push({ words: m.words, paragraph: m.paragraph });
      continue;
    }
    // "Squad Javier Pertile", "Leading Ahmad Saleh": an opener that the text also uses in lower case.
    if (
      m.opener &&
      m.words.length > 1 &&
      lowerWords.has(lower(m.words[0] ?? '')) &&
      !PLACE_NAMES.has(lower(m.words.join(' ')))
    ) {
      m.words = m.words.slice(1);
      while (m.words.length > 0 && CONNECTORS.has(lower(m.words[0] ?? ''))) m.words = m.words.slice(1);
      if (m.words.length === 0) continue;
    }
    // "fellow American James Heath", "Russian Vladimir Putin": a nationality before a personal name.
    const lead = lower(m.words[0] ?? '');
    if (
      m.words.length > 2 &&
      (DEMONYM_COUNTRY.has(lead) || DESCRIPTORS.has(lead)) &&
      looksPersonal(m.words.slice(1), lowerWords)
    )
      m.words = m.words.slice(1);
    const only = m.words.length === 1 ? lower(m.words[0] ?? '') : '';
    const country = only ? DEMONYM_COUNTRY.get(only) : undefined;
    if (country) {
      add([country], m, true);
      continue;
    }
    // A lone sentence opener used in lower case elsewhere ("Results", "Total") is an ordinary
    // word, and so is a word in capitals the text also writes in lower case ("CRUDE").
    if ((m.opener || isAllCaps(m.words[0] ?? '')) && lowerWords.has(only)) continue;
    add(
      only && isAllCaps(m.words[0] ?? '') && PLACE_NAMES.has(only) ? [titleCase(m.words[0] ?? '')] : m.words,
      m,
    );
  }

  // Short forms link to the longest form: surnames and particle-less surnames of personal
  // names, first names, acronyms of organizations. Built once, looked up once per name.
  const surnames = new Map<string, Found>();
  const firstNames = new Map<string, Found>();
  const acronyms = new Map<string, Found>();
  const better = (a: Found | undefined, b: Found): Found => (a && a.count >= b.count ? a : b);
  for (const f of found.values()) {
    if (f.words.length < 2 || f.demonymOnly) continue;
    const acronym = acronymOf(f.words);
    if (acronym) acronyms.set(acronym, better(acronyms.get(acronym), f));
    if (looksPersonal(f.words, lowerWords) || f.person > 0) {
      const last = f.words[f.words.length - 1] ?? '';
      for (const s of new Set([entityTopicKey(last), entityTopicKey(withoutParticle(last))]))
        surnames.set(s, better(surnames.get(s), f));
      const first = entityTopicKey(f.words[0] ?? '');
      firstNames.set(first, better(firstNames.get(first), f));
    }
  }
  for (const f of [...found.values()]) {
    // "P. Simmons" is "Phil Simmons" when the initials agree.
    const initialForm = f.words.length === 2 && /^\p{Lu}$/u.test(f.words[0] ?? '');
    if ((f.words.length !== 1 && !initialForm) || PLACE_NAMES.has(f.key)) continue;
    if (initialForm) {
      const full = surnames.get(entityTopicKey(f.words[1] ?? ''));
      if (!full || full === f || full.words[0]?.[0] !== f.words[0]) continue;
      full.count += f.count;
      full.firm += f.firm;
      found.delete(f.key);
      continue;
    }
    const full = acronyms.get(f.key) ?? surnames.get(f.key) ?? firstNames.get(f.key);
    if (!full || full === f) continue;
    full.count += f.count;
    full.firm += f.firm;
    full.person += f.person + (surnames.get(f.key) === full ? 1 : 0);
    full.place += f.place;
    full.firstParagraph = Math.min(full.firstParagraph, f.firstParagraph);
    // A first name alone ("Ahmad") is counted but too common to match on.
    if (firstNames.get(f.key) !== full || surnames.get(f.key) === full)
      for (const s of f.spellings.keys()) full.aliases.add(s);
    found.delete(f.key);
  }

  // Headlines and lines in capitals: their words count for names the body spells out, or for
  // known places; nothing else in them is trusted.
  const lookup = (key: string): Found | undefined => found.get(key) ?? acronyms.get(key) ?? surnames.get(key);
  const matchLine = (words: string[], paragraph: number, inTitle: boolean): void => {
    for (let i = 0; i < words.length;) {
      let matched = 0;
      for (let n = Math.min(4, words.length - i); n >= 1 && matched === 0; n--) {
        const slice = words.slice(i, i + n);
        const key = entityTopicKey(slice.join(' '));
        const lone = n === 1 ? lower(slice[0] ?? '') : '';
        if (lone && (COMMON.has(lone) || CALENDAR.has(lone) || NEVER_ALONE.has(lone))) continue;
        let f = lookup(key);
        // A line's first word is capitalized by its place: it confirms only a name that ordinary
        // text already confirmed ("Dockworkers at …" under "CALDERA — Dockworkers walked …").
        if (f && i === 0 && n === 1 && f.firm === 0) continue;
        // Nor does a word the line writes in lower case ("Caldera dockworkers walk out").
        if (f && !isCapitalized(slice[0] ?? '')) continue;
        if (!f && PLACE_NAMES.has(key))
          f = add(slice.map(titleCase), {
            cues: { person: 0, place: 0, team: 0, notPerson: 0 },
            paragraph,
            tentative: false,
          });
        else if (f) {
          f.count++;
          f.firm++;
          f.firstParagraph = Math.min(f.firstParagraph, paragraph);
        }
        if (!f) continue;
        if (inTitle) f.inTitle++;
        matched = n;
      }
      i += Math.max(matched, 1);
    }
  };
  for (const line of shoutedLines) matchLine(line.words, line.paragraph, false);
  const titleTokens = tokenize(title);
  matchLine(
    titleTokens.map((t) => t.word),
    -1,
    true,
  );

  const result: NamedEntity[] = [];
  for (const f of found.values()) {
    // A lone opener never seen in ordinary text, nor linked to a name, is not trusted.
    if (f.firm === 0 && f.inTitle === 0 && !f.demonymOnly && !PLACE_NAMES.has(f.key)) continue;
    if (f.demonymOnly && f.count < 2) continue;
    const canonical = ALIASED_NAMES.get(f.key);
    // A name written several ways is shown as one; the other spellings are its aliases.
    const aliases = canonical
      ? [...new Set([...f.spellings.keys(), ...f.aliases])].filter((a) => a !== canonical)
      : [...f.aliases].filter((a) => entityTopicKey(a) !== f.key);
    result.push({
      name: canonical ?? displayName(f),
      kind: kindOf(f, lowerWords),
      count: f.count,
      aliases,
      inTitle: f.inTitle,
      firstParagraph: f.firstParagraph,
    });
  }
  // A stable sort: names equally salient keep the order the story first gives them.
  return result.sort((a, b) => salience(b) - salience(a));
}

/** The story's own spelling, preferring one not written in capitals. */
function displayName(f: Found): string {
  let best = '';
  let bestScore = -1;
  for (const [spelling, n] of f.spellings) {
    const score = n + (spelling.split(' ').some((w) => isAllCaps(w) && w.length > 4) ? 0 : 1000);
    if (score > bestScore) {
      best = spelling;
      bestScore = score;
    }
  }
  return best || f.words.join(' ');
}

/** How prominent a name is: mentions, plus the headline and the lead. */
export function salience(e: Pick<NamedEntity, 'count' | 'inTitle' | 'firstParagraph'>): number {
  return e.count + 2 * Math.min(e.inTitle, 1) + (e.firstParagraph >= 0 && e.firstParagraph <= 1 ? 1 : 0);
}

/** Named people, places and organizations in `text` (paragraphs split at blank lines), most mentioned first. */
export function extractEntities(text: string): Entity[] {
  return findNames({ paragraphs: text.split(/\n\s*\n/) })
    .sort((a, b) => b.count - a.count)
    .map(({ name, kind, count }) => ({ name, kind, count }));
}
