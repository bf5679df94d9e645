import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Distinct made-up news articles for scale and crash tests: every article has its own
 * headline and body drawn from a seeded generator, so no two share a five-word run (none
 * merge) and a run is the same every time.
 */
export interface SyntheticArticle {
  title: string;
  paragraphs: string[];
}

const PLACES = [
  'Caldera',
  'Estrava',
  'Valoria',
  'Ostlund',
  'Brightwater',
  'Tarn',
  'Lumen',
  'Norvik',
  'Sabel',
  'Quarry Bay',
  'Meridan',
  'Halvik',
];
const SUBJECTS = [
  'council',
  'union',
  'ministry',
  'port authority',
  'court',
  'university',
  'railway',
  'central bank',
  'hospital',
  'festival',
  'league',
  'utility',
];
const VERBS = [
  'approved',
  'rejected',
  'delayed',
  'announced',
  'expanded',
  'cut',
  'reviewed',
  'opened',
  'closed',
  'funded',
  'suspended',
  'launched',
];
const OBJECTS = [
  'plan',
  'budget',
  'contract',
  'strike',
  'merger',
  'tariff',
  'bridge',
  'vaccine trial',
  'election',
  'water project',
  'pension reform',
  'data centre',
];

/** A small seeded PRNG (mulberry32): the same seed gives the same articles. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pick<T>(items: readonly T[], next: () => number): T {
  return items[Math.floor(next() * items.length)] as T;
}

/** A pronounceable made-up word; with the numbers in each sentence it keeps articles apart. */
function word(next: () => number): string {
  const consonants = 'bcdfghklmnprstvz';
  const vowels = 'aeiou';
  let out = '';
  const syllables = 2 + Math.floor(next() * 2);
  for (let i = 0; i < syllables; i++)
    out +=
      consonants[Math.floor(next() * consonants.length)] +
      (vowels[Math.floor(next() * vowels.length)] ?? 'a');
  return out;
}

export function syntheticArticle(index: number, seed = 1): SyntheticArticle {
  const next = random(seed * 1_000_003 + index);
  const place = pick(PLACES, next);
  const subject = pick(SUBJECTS, next);
  const object = pick(OBJECTS, next);
  const name = `${word(next)[0]?.toUpperCase()}${word(next).slice(1)}`;
  const title = `${place} ${subject} ${pick(VERBS, next)} ${object} ${index}`;
  const paragraphs: string[] = [];
  const paragraphCount = 3 + Math.floor(next() * 3);
  for (let p = 0; p < paragraphCount; p++) {
    const sentences: string[] = [];
    const sentenceCount = 2 + Math.floor(next() * 3);
    for (let s = 0; s < sentenceCount; s++) {
      const figure = Math.floor(next() * 9_000) + 100;
      sentences.push(
        `The ${subject} in ${place} ${pick(VERBS, next)} the ${word(next)} ${object} after ${name} said ${figure} ${word(next)} residents would ${word(next)} the ${word(next)} by ${pick(['Monday', 'March', 'the spring', 'next year'], next)}.`,
      );
    }
    paragraphs.push(sentences.join(' '));
  }
  return { title, paragraphs };
}

/** Writes `count` articles as .txt files (headline, blank line, paragraphs) into `dir`. */
export function writeSyntheticNews(dir: string, count: number, seed = 1): void {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const article = syntheticArticle(i, seed);
    writeFileSync(
      path.join(dir, `article-${String(i).padStart(6, '0')}.txt`),
      `${article.title}\n\n${article.paragraphs.join('\n\n')}\n`,
    );
  }
}
