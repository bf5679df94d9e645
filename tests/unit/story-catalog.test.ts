// The story catalog answers what commands list (briefs, topics, autocomplete, counts) from one
// small row per story. It must give the same stories as reading them all, and a brief must read
// only the newest few pages, yet rank exactly as a full read would.
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { createBriefService } from '../../src/brief/brief-service.ts';
import { rankStories } from '../../src/brief/ranking.ts';
import { createStoryCatalog } from '../../src/brief/story-catalog.ts';
import {
  createCatalogStoryFinder,
  createListedStoryFinder,
  type StoryFinder,
} from '../../src/brief/story-finder.ts';
import type { SummaryService } from '../../src/brief/summary-service.ts';
import { loadTaxonomy } from '../../src/brief/topics/taxonomy.ts';
import { createLogger } from '../../src/logger.ts';
import type { StoryRepository } from '../../src/news/story-repository.ts';
import { outletCount, readerIn, type Audience, type Story } from '../../src/news/types.ts';

const HOUR = 3_600_000;
const NEWEST = Date.parse('2026-11-30T12:00:00Z');
const taxonomy = loadTaxonomy(new URL('../../config/topics.json', import.meta.url).pathname);
const PLACES = ['Caldera', 'Estrava', 'Valoria', 'Ostlund', 'Brightwater'];

/** A seeded store of stories spread over 30 days: shared and server-only, backlog, several sections and names. */
function stories(count: number): Story[] {
  let state = 7;
  const next = () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const sections = taxonomy.keys();
  return Array.from({ length: count }, (_, i) => {
    const published = NEWEST - Math.floor(next() * 30 * 24) * HOUR;
    const place = PLACES[i % PLACES.length] ?? 'Caldera';
    const sources = Array.from({ length: 1 + Math.floor(next() * 4) }, (_, n) => ({
      name: `Outlet ${(i + n) % 9}`,
      url: `https://outlet${n}.example`,
    }));
    return {
      id: `s-${String(i).padStart(5, '0')}`,
      title: `${place} ${['council', 'harbour', 'museum', 'railway'][i % 4]} story ${i}`,
      articleIds: [`a-${i}`],
      sources,
      publishedAt: new Date(published).toISOString(),
      firstSeenAt: new Date(published + HOUR).toISOString(),
      updatedAt: new Date(published + 2 * HOUR).toISOString(),
      contentHash: `h${i}`,
      topics: [sections[i % sections.length] ?? 'world'],
      entities: [place, ...(i % 7 === 0 ? ['Vladimir Putin'] : [])],
      sourceWeight: next() < 0.1 ? 8 : 1,
      featured: next() < 0.05,
      ...(i % 11 === 0 ? { backlog: true } : {}),
      ...(i % 13 === 0 ? { guildIds: [`g${i % 3}`] } : {}),
    };
  });
}

let db: DatabaseSync | undefined;
afterEach(() => db?.close());

function setup(all: Story[]) {
  db = new DatabaseSync(':memory:');
  const catalog = createStoryCatalog(db);
  catalog.fill(all);
  const byId = new Map(all.map((story) => [story.id, story]));
  const reads = { count: 0 };
  const fromCatalog = createCatalogStoryFinder({
    catalog,
    stories: { getStory: async (id) => ((reads.count += 1), byId.get(id)) },
    catchUp: async () => 0,
    log: createLogger('silent'),
  });
  return { catalog, fromCatalog, listed: createListedStoryFinder(async () => all), reads };
}

async function ids(pages: AsyncIterable<Story[]>): Promise<string[]> {
  const out: string[] = [];
  for await (const page of pages) out.push(...page.map((story) => story.id));
  return out;
}

function briefOver(finder: StoryFinder, now: number) {
  const unused = async () => {
    throw new Error('not read by a ranking');
  };
  const repository = { getStory: unused, articlesOf: unused, putStory: unused } as unknown as StoryRepository;
  const summaries = { summaryFor: unused } as unknown as SummaryService;
  return createBriefService({ repository, finder, summaries, taxonomy, now: () => now, halfLifeHours: 24 });
}

describe('the story catalog', () => {
  it('gives the same stories as reading them all, for every kind of question', async () => {
    const all = stories(1_200);
    const { fromCatalog, listed } = setup(all);
    const audiences: Audience[] = ['operator', readerIn(undefined), readerIn('g1')];
    for (const audience of audiences) {
      for (const query of [
        { audience },
        { audience, excludeBacklog: true },
        { audience, firstSeenAfterMs: NEWEST - 3 * 24 * HOUR },
        { audience, topicKey: 'vladimir putin' },
        { audience, topicKey: 'putin' },
        { audience, topicKey: taxonomy.keys()[2] ?? 'world' },
      ]) {
        expect(await ids(fromCatalog.newest(query))).toEqual(await ids(listed.newest(query)));
      }
      expect((await fromCatalog.carrying('caldera', audience, 30)).map((s) => s.id)).toEqual(
        (await listed.carrying('caldera', audience, 30)).map((s) => s.id),
      );
      expect((await fromCatalog.titled(['harbour', '12'], audience, 25)).map((s) => s.id)).toEqual(
        (await listed.titled(['harbour', '12'], audience, 25)).map((s) => s.id),
      );
      const rows = async (finder: StoryFinder) =>
        (await finder.topicRows(audience)).map((row) => JSON.stringify(row)).sort();
      expect(await rows(fromCatalog)).toEqual(await rows(listed));
    }
    expect(await fromCatalog.count()).toBe(1_200);
    // An id typed into autocomplete finds its story.
    expect((await fromCatalog.titled(['s-00042'], 'operator', 5)).map((s) => s.id)).toEqual(['s-00042']);
  });

  it('keeps up with changes and deletions', () => {
    const all = stories(50);
    const { catalog } = setup(all);
    const first = all[0]!;
    catalog.apply(first.id, { ...first, title: 'Renamed story' });
    expect(catalog.titled(['renamed'], 'operator', 5)).toEqual([first.id]);
    catalog.apply(first.id, undefined);
    expect(catalog.titled(['renamed'], 'operator', 5)).toEqual([]);
    expect(catalog.count()).toBe(49);
  });

  it('ranks a brief exactly as a full read would, reading only the newest pages when fresh news leads', async () => {
    const all = stories(3_000);
    const { fromCatalog, reads } = setup(all);
    const now = NEWEST + HOUR;
    const brief = briefOver(fromCatalog, now);
    const full = rankStories(
      all.filter((s) => s.guildIds === undefined && s.backlog !== true),
      { now, halfLifeHours: 24, frontPageTopics: taxonomy.keys().slice(0, 4) },
    );
    const top = await brief.ranked({ audience: readerIn(undefined), count: 10 });
    expect(top.map((item) => item.story.id)).toEqual(full.slice(0, 10).map((item) => item.story.id));
    expect(reads.count).toBeLessThan(1_000);
  });

  it('still finds an older story that outranks the newer ones when there is no fresh news', async () => {
    const all = stories(3_000);
    const { fromCatalog } = setup(all);
    // Ten days after the newest story every recency is small: weight, coverage and featured decide.
    const now = NEWEST + 10 * 24 * HOUR;
    const brief = briefOver(fromCatalog, now);
    const full = rankStories(
      all.filter((s) => s.backlog !== true),
      { now, halfLifeHours: 24, frontPageTopics: taxonomy.keys().slice(0, 4) },
    );
    const top = await brief.ranked({ audience: 'operator', count: 5 });
    expect(top.map((item) => item.story.id)).toEqual(full.slice(0, 5).map((item) => item.story.id));
    const topic = await brief.ranked({
      audience: 'operator',
      count: 5,
      topic: 'Putin',
      includeBacklog: true,
    });
    expect(topic.every((item) => item.story.entities.includes('Vladimir Putin'))).toBe(true);
    await expect(brief.ranked({ audience: 'operator', count: 5, topic: 'Atlantis' })).rejects.toThrow(
      /no stories on "Atlantis"/,
    );
  });

  it('with a coverage threshold ranks only stories that many outlets carry, as a full read of those would', async () => {
    const all = stories(3_000);
    const { fromCatalog } = setup(all);
    const now = NEWEST + HOUR;
    const brief = briefOver(fromCatalog, now);
    const full = rankStories(
      all.filter((s) => s.guildIds === undefined && s.backlog !== true && outletCount(s) >= 3),
      { now, halfLifeHours: 24, frontPageTopics: taxonomy.keys().slice(0, 4) },
    );
    const top = await brief.ranked({ audience: readerIn(undefined), count: 10, minSources: 3 });
    expect(top.map((item) => item.story.id)).toEqual(full.slice(0, 10).map((item) => item.story.id));
    expect(top.every((item) => outletCount(item.story) >= 3)).toBe(true);
  });
});
