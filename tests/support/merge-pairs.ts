/**
 * The story-merge fixture set (tests/fixtures/merge-pairs): pairs of articles that must merge
 * (a story and a syndicated copy with edits) or stay apart (two stories on one event), and
 * the precision/recall evaluation shared by the unit test and the ingest bench.
 *
 * Both sides of each pair go through the real scraped-text path (parseScrapedText), so the
 * copies' different boilerplate is removed exactly as it would be at ingest.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseScrapedText } from '../../src/news/scraped-text.ts';
import { createStoryMatcher } from '../../src/news/story-merge.ts';
import type { StoryMatcherOptions } from '../../src/news/story-merge.ts';
import type { CleanArticle } from '../../src/news/types.ts';

const Story = z.object({
  title: z.string(),
  dateline: z.string(),
  paragraphs: z.array(z.string()).min(2),
  label: z.string().optional(),
});
const Stories = z.object({ stories: z.record(z.string(), Story) });
const Copy = z.object({
  of: z.string(),
  title: z.string(),
  label: z.string().optional(),
  datelineStyle: z.string().optional(),
  drop: z.array(z.number().int()).optional(),
  swapLast: z.boolean().optional(),
  replace: z.array(z.tuple([z.number().int(), z.string(), z.string()])).optional(),
  before: z.array(z.string()).optional(),
  after: z.array(z.string()).optional(),
});
const Copies = z.object({ copies: z.array(Copy) });

type StoryData = z.infer<typeof Story>;

/** One labelled pair: `same` is the truth the matcher is scored against. */
export interface MergePair {
  name: string;
  same: boolean;
  a: CleanArticle;
  b: CleanArticle;
}

export const mergePairsDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../fixtures/merge-pairs',
);

function render(story: StoryData, lead: string, before: string[] = [], after: string[] = []): string {
  const [first = '', ...rest] = story.paragraphs;
  return [
    ...(story.label ? [story.label] : []),
    story.title,
    ...before,
    `${lead} ${first}`,
    ...rest,
    ...after,
  ].join('\n');
}

function copyText(base: StoryData, copy: z.infer<typeof Copy>): string {
  const paragraphs = base.paragraphs.map((text, i) => {
    let edited = text;
    for (const [at, from, to] of copy.replace ?? []) {
      if (at !== i) continue;
      if (!edited.includes(from))
        throw new Error(`fixture copy of ${copy.of}: "${from}" not in paragraph ${at}`);
      edited = edited.replace(from, to);
    }
    return edited;
  });
  const kept = paragraphs.filter((_, i) => !(copy.drop ?? []).includes(i));
  if (copy.swapLast && kept.length >= 2) kept.push(...kept.splice(-2, 2).reverse());
  const edited: StoryData = { title: copy.title, dateline: base.dateline, paragraphs: kept };
  if (copy.label) edited.label = copy.label;
  return render(edited, copy.datelineStyle ?? `${base.dateline} —`, copy.before, copy.after);
}

/** Every pair: each a-story with its copy (same), and each a-story and its copy against the b-story (different). */
export function loadMergePairs(dir = mergePairsDir): MergePair[] {
  const { stories } = Stories.parse(JSON.parse(readFileSync(path.join(dir, 'stories.json'), 'utf8')));
  const { copies } = Copies.parse(JSON.parse(readFileSync(path.join(dir, 'copies.json'), 'utf8')));
  const pairs: MergePair[] = [];
  for (const copy of copies) {
    const base = stories[copy.of];
    const other = stories[copy.of.replace(/-a$/, '-b')];
    if (!base || !other) throw new Error(`fixture copy of ${copy.of}: missing story`);
    const original = parseScrapedText(render(base, `${base.dateline} —`));
    const copied = parseScrapedText(copyText(base, copy));
    const different = parseScrapedText(render(other, `${other.dateline} —`));
    pairs.push({ name: `${copy.of} ~ copy`, same: true, a: original, b: copied });
    pairs.push({
      name: `${copy.of} vs ${copy.of.replace(/-a$/, '-b')}`,
      same: false,
      a: original,
      b: different,
    });
    pairs.push({
      name: `${copy.of} copy vs ${copy.of.replace(/-a$/, '-b')}`,
      same: false,
      a: copied,
      b: different,
    });
  }
  return pairs;
}

/** Scores of the matcher on the pairs; `errors` names each misjudged pair. */
export interface MergeEvaluation {
  pairs: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  precision: number;
  recall: number;
  /** Lowest similarity among same-story pairs, highest among different ones (the margin). */
  minSameSimilarity: number;
  maxDifferentSimilarity: number;
  errors: string[];
}

/** Puts `a` in a fresh matcher, asks for `b`, in both directions; a pair merges if either does. */
export function evaluateMergePairs(
  pairs: readonly MergePair[],
  options: StoryMatcherOptions = {},
): MergeEvaluation {
  let tp = 0,
    fp = 0,
    fn = 0,
    tn = 0;
  let minSame = 1,
    maxDifferent = 0;
  const errors: string[] = [];
  for (const pair of pairs) {
    const matcher = createStoryMatcher(options);
    matcher.add('a', pair.a);
    const merged = matcher.findMatch(pair.b) !== undefined;
    const similarity = createStoryMatcher({ ...options, threshold: 0 });
    similarity.add('a', pair.a);
    const score = similarity.findMatch(pair.b)?.similarity ?? 0;
    if (pair.same) minSame = Math.min(minSame, score);
    else maxDifferent = Math.max(maxDifferent, score);
    if (merged && pair.same) tp++;
    else if (merged) {
      fp++;
      errors.push(`merged but different: ${pair.name} (${score.toFixed(2)})`);
    } else if (pair.same) {
      fn++;
      errors.push(`kept apart but same: ${pair.name} (${score.toFixed(2)})`);
    } else tn++;
  }
  return {
    pairs: pairs.length,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    trueNegatives: tn,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp + fn === 0 ? 1 : tp / (tp + fn),
    minSameSimilarity: minSame,
    maxDifferentSimilarity: maxDifferent,
    errors,
  };
}
