// CoNLL-2003 reading and per-document name scoring for the names bench. The files are read at
// bench time from ../shared/eval/conll2003; nothing here is fitted to their items.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export type GoldType = 'PER' | 'ORG' | 'LOC' | 'MISC';
export type OfferedKind = 'person' | 'place' | 'organization' | 'other';

/** One CoNLL document rebuilt as Herald would see it: a headline and one paragraph per sentence. */
export interface ConllDocument {
  title: string;
  paragraphs: string[];
  gold: { name: string; type: GoldType }[];
}

export interface OfferedName {
  name: string;
  kind: OfferedKind;
}

const NO_SPACE_BEFORE = /^(?:[,.;:!?)\]}%]|'s|'|n't|'re|'ve|'ll|'d|'m)$/i;

/** Joins tokens the way the text was written: no space before punctuation or a clitic. */
function detokenize(tokens: string[]): string {
  let out = '';
  let quoteOpen = false;
  let glueNext = false;
  for (const token of tokens) {
    let space = out.length > 0 && !glueNext;
    glueNext = false;
    if (NO_SPACE_BEFORE.test(token)) space = false;
    if (token === '"') {
      if (quoteOpen) space = false;
      else glueNext = true;
      quoteOpen = !quoteOpen;
    }
    if (token === '(' || token === '[') glueNext = true;
    out += (space ? ' ' : '') + token;
  }
  return out;
}

/** Reads a gzipped CoNLL-2003 file into documents. */
export function readConll(file: string): ConllDocument[] {
  const text = gunzipSync(readFileSync(file)).toString('utf8');
  const docs: ConllDocument[] = [];
  let sentences: string[][] = [];
  let gold: ConllDocument['gold'] = [];
  let sentence: string[] = [];
  let span: { words: string[]; type: GoldType } | undefined;
  const closeSpan = (): void => {
    if (span) gold.push({ name: span.words.join(' '), type: span.type });
    span = undefined;
  };
  const closeSentence = (): void => {
    closeSpan();
    if (sentence.length > 0) sentences.push(sentence);
    sentence = [];
  };
  const closeDoc = (): void => {
    closeSentence();
    const [first, ...rest] = sentences.map(detokenize);
    // CoNLL sometimes splits a sentence ("Italy recalled Marcello Cuttitta" / "on Friday ..."):
    // a piece that starts in lower case continues the paragraph before it.
    const paragraphs: string[] = [];
    for (const piece of rest) {
      const last = paragraphs.length - 1;
      if (last >= 0 && /^[\p{Ll}]/u.test(piece)) paragraphs[last] += ` ${piece}`;
      else paragraphs.push(piece);
    }
    if (first !== undefined) docs.push({ title: first, paragraphs, gold });
    sentences = [];
    gold = [];
  };
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('-DOCSTART-')) {
      closeDoc();
      continue;
    }
    if (line.trim() === '') {
      closeSentence();
      continue;
    }
    const cols = line.split(' ');
    const token = cols[0] ?? '';
    const tag = cols[cols.length - 1] ?? 'O';
    sentence.push(token);
    if (tag === 'O') {
      closeSpan();
      continue;
    }
    const [bio, type] = tag.split('-') as [string, GoldType];
    if (!span || bio === 'B' || span.type !== type) {
      closeSpan();
      span = { words: [], type };
    }
    span.words.push(token);
  }
  closeDoc();
  return docs;
}

const words = (name: string): string[] =>
  name
    .toLowerCase()
    .replace(/['’]s\b/g, '')
    .replace(/\./g, '')
    .split(/\s+/)
    .filter((w) => w.length > 0);
const norm = (name: string): string => words(name).join(' ');

/** "Putin" and "Vladimir Putin": one name's words are a run inside the other's. */
function lenientMatch(a: string, b: string): boolean {
  const x = words(a);
  const y = words(b);
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  if (short.length === 0) return false;
  for (let i = 0; i + short.length <= long.length; i++) {
    if (short.every((w, k) => long[i + k] === w)) return true;
  }
  return false;
}

export interface Prf {
  precision: number;
  recall: number;
  f1: number;
}

/** Macro averages over documents; a document with nothing offered and nothing gold is skipped. */
export class MacroScore {
  private p: number[] = [];
  private r: number[] = [];
  private f: number[] = [];

  add(offered: string[], gold: string[], lenient: boolean): void {
    const o = [...new Set(offered.map(norm))];
    const g = [...new Set(gold.map(norm))];
    if (o.length === 0 && g.length === 0) return;
    const same = (a: string, b: string): boolean => (lenient ? lenientMatch(a, b) : a === b);
    const precision = o.length === 0 ? 0 : o.filter((x) => g.some((y) => same(x, y))).length / o.length;
    const recall = g.length === 0 ? 0 : g.filter((y) => o.some((x) => same(x, y))).length / g.length;
    if (o.length > 0) this.p.push(precision);
    if (g.length > 0) this.r.push(recall);
    this.f.push(precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall));
  }

  result(): Prf {
    const mean = (xs: number[]): number =>
      xs.length === 0 ? 0 : (xs.reduce((a, b) => a + b, 0) / xs.length) * 100;
    return { precision: mean(this.p), recall: mean(this.r), f1: mean(this.f) };
  }
}

const KIND_OF: Record<Exclude<GoldType, 'MISC'>, OfferedKind> = {
  PER: 'person',
  ORG: 'organization',
  LOC: 'place',
};

/** Scores of one system on one split: all names, and per type, exact and lenient. */
export type SystemScores = Record<'all' | 'person' | 'place' | 'organization', { exact: Prf; lenient: Prf }>;

export function scoreSystem(docs: ConllDocument[], offeredPerDoc: OfferedName[][]): SystemScores {
  const groups = ['all', 'person', 'place', 'organization'] as const;
  const scores = Object.fromEntries(
    groups.map((g) => [g, { exact: new MacroScore(), lenient: new MacroScore() }]),
  ) as Record<(typeof groups)[number], { exact: MacroScore; lenient: MacroScore }>;
  docs.forEach((doc, i) => {
    const offered = offeredPerDoc[i] ?? [];
    const gold = doc.gold.filter((g) => g.type !== 'MISC');
    for (const group of groups) {
      const o = group === 'all' ? offered : offered.filter((x) => x.kind === group);
      const g =
        group === 'all' ? gold : gold.filter((x) => KIND_OF[x.type as keyof typeof KIND_OF] === group);
      scores[group].exact.add(
        o.map((x) => x.name),
        g.map((x) => x.name),
        false,
      );
      scores[group].lenient.add(
        o.map((x) => x.name),
        g.map((x) => x.name),
        true,
      );
    }
  });
  return Object.fromEntries(
    groups.map((g) => [g, { exact: scores[g].exact.result(), lenient: scores[g].lenient.result() }]),
  ) as SystemScores;
}

const WEEKDAYS_AND_MONTHS = new Set(
  `monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
  january february march april june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec`.split(
    /\s+/,
  ),
);

/**
 * Offered strings a reader should never see as a name: possessives, weekdays and months, and
 * headline capitals. A string in capitals is an acronym ("UNHCR") when the body's ordinary
 * text writes it so; it is headline capitals when it has several words, when the document
 * also writes it in lower or title case ("MOSCOW" beside "Moscow"), or when only the headline
 * and lines in capitals carry it.
 */
export function badForms(offered: OfferedName[], doc: ConllDocument): string[] {
  const lines = [doc.title, ...doc.paragraphs];
  const shouting = (line: string): boolean => {
    const words = line.match(/\p{L}{2,}/gu) ?? [];
    return words.length > 0 && words.filter((w) => w === w.toUpperCase()).length / words.length >= 0.6;
  };
  const ordinary = lines.filter((line) => !shouting(line)).join('\n');
  return offered
    .map((x) => x.name)
    .filter((name) => {
      if (/['’]s?$/.test(name)) return true;
      const lower = name.toLowerCase();
      if (WEEKDAYS_AND_MONTHS.has(lower) || WEEKDAYS_AND_MONTHS.has(lower.replace(/s$/, ''))) return true;
      if (!/^[\p{Lu}\p{N}\s.&'’-]+$/u.test(name) || !/\p{Lu}{2}/u.test(name)) return false;
      if (/\s/.test(name.trim())) return true;
      const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const otherCase = new RegExp(`\\b${escaped}\\b`, 'i');
      const sameCase = new RegExp(`\\b${escaped}\\b`);
      const mixed = lines.some((line) =>
        [...line.matchAll(new RegExp(otherCase.source, 'gi'))].some((m) => m[0] !== name),
      );
      return mixed || !sameCase.test(ordinary);
    });
}
