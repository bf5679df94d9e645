// The SQuAD 2.0 dev split as the ask bench and the confidence calibration read it: every
// paragraph becomes one cached article titled by its SQuAD article, and the articles are
// split in two halves by a stable hash of the title. The calibration half is the only data
// anything is fitted on (tests/bench/_ask-calibrate.ts); every reported figure comes from the
// held-out half. The leading underscore keeps this file out of `npm run bench`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const squadSchema = z.object({
  data: z.array(
    z.object({
      title: z.string(),
      paragraphs: z.array(
        z.object({
          context: z.string(),
          qas: z.array(
            z.object({
              question: z.string(),
              is_impossible: z.boolean(),
              answers: z.array(z.object({ text: z.string() })),
            }),
          ),
        }),
      ),
    }),
  ),
});

export interface Paragraph {
  title: string;
  context: string;
}
export interface Question {
  question: string;
  answerable: boolean;
  gold: string[];
  half: Half;
}
export type Half = 'calibration' | 'held-out';

export function squadPath(repoRoot: string): string {
  return path.resolve(repoRoot, '../shared/eval/squad_v2_dev_cs224n/dev-v2.0.json');
}

/** FNV-1a over the title's UTF-16 units: stable across runs, machines and Node versions. */
export function titleHash(title: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < title.length; i++) {
    hash ^= title.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * Half the articles each: ordered by their title's hash, the first half calibrates. (The
 * hash's parity alone would split this file's 16 articles 12 to 4.)
 */
export function splitByTitle(titles: readonly string[]): Map<string, Half> {
  const ordered = [...new Set(titles)].sort((a, b) => titleHash(a) - titleHash(b) || a.localeCompare(b));
  const half = Math.ceil(ordered.length / 2);
  return new Map(ordered.map((title, i) => [title, i < half ? 'calibration' : 'held-out']));
}

export function loadSquad(repoRoot: string): { paragraphs: Paragraph[]; questions: Question[] } {
  const squad = squadSchema.parse(JSON.parse(readFileSync(squadPath(repoRoot), 'utf8')));
  const paragraphs: Paragraph[] = [];
  const questions: Question[] = [];
  const halves = splitByTitle(squad.data.map((article) => article.title));
  for (const article of squad.data) {
    const half = halves.get(article.title) ?? 'held-out';
    for (const p of article.paragraphs) {
      paragraphs.push({ title: article.title.replace(/_/g, ' '), context: p.context });
      for (const qa of p.qas)
        questions.push({
          question: qa.question,
          answerable: !qa.is_impossible,
          gold: qa.answers.map((a) => a.text),
          half,
        });
    }
  }
  return { paragraphs, questions };
}

/** SQuAD's answer normalization: lower case, no punctuation, no articles, single spaces. */
function normalize(text: string): string {
  return ` ${text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\b(?:a|an|the)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()} `;
}

export function containsGold(sentence: string | undefined, gold: readonly string[]): boolean {
  if (sentence === undefined) return false;
  const s = normalize(sentence);
  return gold.some((g) => normalize(g).trim() !== '' && s.includes(normalize(g)));
}
