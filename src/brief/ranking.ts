import type { Story } from '../news/types.ts';

/** Each part is in [0, 1]; the score is their weighted sum, so --json can show why. */
export interface ScoreParts {
  recency: number;
  sourceWeight: number;
  featured: number;
  coverage: number;
  topic: number;
}

export interface RankedStory {
  story: Story;
  score: number;
  parts: ScoreParts;
}

export interface RankingOptions {
  now: number;
  /** A story loses half its recency score every this many hours. */
  halfLifeHours: number;
  /** Sections that make a story front-page material (from the taxonomy). */
  frontPageTopics?: readonly string[];
}

/**
 * Fixed weights, chosen so recency leads (a brief is about now), and a story carried by several
 * independent outlets or a featured source can outrank a slightly newer single-source one.
 */
export const RANKING_WEIGHTS: Readonly<ScoreParts> = Object.freeze({
  recency: 0.45,
  sourceWeight: 0.15,
  featured: 0.15,
  coverage: 0.17,
  topic: 0.08,
});

/** Source weights are configured 0–10; 1 is the default, so most sources sit at 0.5 here. */
function normalizedWeight(weight: number): number {
  return Math.min(1, weight / 2);
}

/** 1 source → 0, 2 → 0.5, 3 → 0.67, …: each further outlet adds less. */
function coverage(independentSources: number): number {
  return independentSources <= 1 ? 0 : 1 - 1 / independentSources;
}

export function scoreStory(story: Story, options: RankingOptions): RankedStory {
  const ageHours = Math.max(0, (options.now - Date.parse(story.publishedAt)) / 3_600_000);
  const independent = new Set(story.sources.map((s) => s.name.toLowerCase())).size;
  const frontPage = options.frontPageTopics ?? [];
  const parts: ScoreParts = {
    recency: Number.isFinite(ageHours) ? Math.pow(0.5, ageHours / options.halfLifeHours) : 0,
    sourceWeight: normalizedWeight(story.sourceWeight),
    featured: story.featured ? 1 : 0,
    coverage: coverage(independent),
    topic: story.topics.some((t) => frontPage.includes(t)) ? 1 : 0,
  };
  let score = 0;
  for (const key of Object.keys(RANKING_WEIGHTS) as (keyof ScoreParts)[])
    score += RANKING_WEIGHTS[key] * parts[key];
  return { story, score: Math.round(score * 10_000) / 10_000, parts };
}

/**
 * Best first: real news before the bundled sample news, then score, then the newer story, then
 * by id, so the order never wobbles.
 */
export function compareRanked(a: RankedStory, b: RankedStory): number {
  return (
    Number(a.story.sample === true) - Number(b.story.sample === true) ||
    b.score - a.score ||
    Date.parse(b.story.publishedAt) - Date.parse(a.story.publishedAt) ||
    a.story.id.localeCompare(b.story.id)
  );
}

export function rankStories(stories: readonly Story[], options: RankingOptions): RankedStory[] {
  return stories.map((story) => scoreStory(story, options)).sort(compareRanked);
}

/**
 * The most any story published at `publishedMs` or earlier can score: its recency at that time
 * and every other part in full. Ranking stories newest first may stop once the chosen ones all
 * score above it: no older story can overtake them.
 */
export function bestPossibleScore(publishedMs: number, options: RankingOptions): number {
  const ageHours = Math.max(0, (options.now - publishedMs) / 3_600_000);
  let score = RANKING_WEIGHTS.recency * Math.pow(0.5, ageHours / options.halfLifeHours);
  for (const key of Object.keys(RANKING_WEIGHTS) as (keyof ScoreParts)[])
    if (key !== 'recency') score += RANKING_WEIGHTS[key];
  return score;
}
