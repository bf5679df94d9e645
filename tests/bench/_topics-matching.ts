// Matching-speed half of the topics bench (the leading underscore keeps the bench runner from
// treating it as a benchmark of its own): synthetic subscriptions and stories from a seeded
// generator, so runs are comparable.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createSubscriptionMatcher,
  type MatchableStory,
} from '../../src/brief/topics/subscription-matcher.ts';

export interface MatchingResult {
  subscriptions: number;
  users: number;
  entityNames: number;
  stories: number;
  buildMs: number;
  matchMedianMs: number;
  matchMinMs: number;
  matchMaxMs: number;
  runs: number;
  deliveries: number;
  matchedUsers: number;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ra',
  'ten',
  'vos',
  'bel',
  'dor',
  'an',
  'is',
  'qu',
  'zen',
  'mar',
  'tol',
  'ur',
  'ex',
];

export async function benchMatching(
  options: {
    subscriptions?: number;
    users?: number;
    entities?: number;
    stories?: number;
    runs?: number;
  } = {},
): Promise<MatchingResult> {
  const subs = options.subscriptions ?? 100_000;
  const users = options.users ?? 30_000;
  const entityCount = options.entities ?? 3_000;
  const storyCount = options.stories ?? 500;
  const runs = options.runs ?? 7;
  const random = seeded(42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  // Popular names are followed and mentioned more often: a squared uniform skews to the front.
  const skewed = <T>(list: readonly T[]): T => list[Math.floor(random() * random() * list.length)] as T;

  const taxonomy = JSON.parse(readFileSync(path.join(repoRoot, 'config/topics.json'), 'utf8')) as {
    sections: { key: string; name: string }[];
  };
  const sections = taxonomy.sections.map((s) => s.key);
  const entityNames = Array.from({ length: entityCount }, (_, i) => {
    const word = (n: number): string =>
      Array.from({ length: 2 + (n % 2) }, (_u, k) => SYLLABLES[(n * 7 + k * 13 + i) % SYLLABLES.length]).join(
        '',
      );
    const name = `${word(i)} ${word(i * 31 + 5)} ${i}`;
    return name.replace(/\b\w/g, (c) => c.toUpperCase());
  });

  const matcher = createSubscriptionMatcher();
  const started = performance.now();
  for (let i = 0; i < subs; i++) {
    const userId = `u${Math.floor(random() * users)}`;
    // Mixed case on purpose: matching is case-insensitive.
    const topicKey = random() < 0.5 ? pick(taxonomy.sections).name : skewed(entityNames).toLowerCase();
    matcher.add({ id: `s${i}`, userId, topicKey });
  }
  const buildMs = performance.now() - started;

  const stories: MatchableStory[] = Array.from({ length: storyCount }, (_, i) => {
    const own = new Set([pick(sections)]);
    if (random() < 0.4) own.add(pick(sections));
    const entities = new Set<string>();
    const n = 3 + Math.floor(random() * 6);
    while (entities.size < n) entities.add(skewed(entityNames));
    return { id: `story-${i}`, topics: [...own], entities: [...entities] };
  });

  const times: number[] = [];
  let result = new Map<string, string[]>();
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    result = matcher.match(stories);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  let deliveries = 0;
  for (const ids of result.values()) deliveries += ids.length;
  return {
    subscriptions: matcher.size(),
    users,
    entityNames: entityCount,
    stories: storyCount,
    buildMs: Math.round(buildMs * 10) / 10,
    matchMedianMs: Math.round((times[Math.floor(times.length / 2)] ?? 0) * 100) / 100,
    matchMinMs: Math.round((times[0] ?? 0) * 100) / 100,
    matchMaxMs: Math.round((times[times.length - 1] ?? 0) * 100) / 100,
    runs,
    deliveries,
    matchedUsers: result.size,
  };
}
