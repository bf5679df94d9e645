// The dedup index kept in SQLite decides as the in-memory matcher does (story-merge.ts's rule),
// including keys so common that their posting lists are full, and forgets deleted stories.
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteDedupIndex, type DedupIndex } from '../../src/news/dedup-index.ts';
import {
  createStoryMatcher,
  MAX_POSTINGS,
  type MatchableArticle,
  type StoryMatcher,
} from '../../src/news/story-merge.ts';
import { openSqliteDatabase, type SqliteDatabase } from '../../src/store/sqlite-database.ts';
import { syntheticArticle } from '../support/synthetic-news.ts';

const STOCK =
  'The regional assembly meets every Tuesday in the old customs house and its sessions are open to the public and carried live on local radio.';

/** Story n: a stock paragraph every story shares, then its own text. */
function story(n: number): MatchableArticle {
  const own = syntheticArticle(n, 7);
  return { title: own.title, paragraphs: [STOCK, ...own.paragraphs] };
}

/** A copy of story n with one word of its first own paragraph changed, as an edit would. */
function copy(n: number): MatchableArticle {
  const own = syntheticArticle(n, 7);
  const [first = '', ...rest] = own.paragraphs;
  return { title: own.title, paragraphs: [STOCK, first.replace(/^The /, 'A '), ...rest] };
}

/** Stories, then copies of every third one interleaved with later stories. */
function corpus(): MatchableArticle[] {
  const articles: MatchableArticle[] = [];
  for (let n = 0; n < MAX_POSTINGS + 60; n++) {
    articles.push(story(n));
    if (n % 3 === 2) articles.push(copy(n - 2));
  }
  return articles;
}

/** Runs articles through a matcher as an ingest does: match, then file under the match or a new story. */
function decide(
  articles: readonly MatchableArticle[],
  matcher: StoryMatcher,
  persist: (storyId: string, article: MatchableArticle) => void,
): string[] {
  return articles.map((article, i) => {
    const storyId = matcher.findMatch(article)?.storyId ?? `s-${i}`;
    matcher.add(storyId, article);
    persist(storyId, article);
    return storyId;
  });
}

let database: SqliteDatabase | undefined;
afterEach(() => {
  database?.close();
  database = undefined;
});

function sqliteIndex(): DedupIndex {
  database = openSqliteDatabase(':memory:');
  return createSqliteDedupIndex(database);
}

describe('the dedup index kept in SQLite', () => {
  it('files every article under the same story as the in-memory matcher, full lists included', () => {
    const articles = corpus();
    const expected = decide(articles, createStoryMatcher(), () => undefined);
    const index = sqliteIndex();
    // A run per article: only what is stored in the file is matched, nothing held in memory.
    const actual = decide(articles, { ...index.matcher, add: () => index.beginRun() }, (storyId, article) =>
      index.persist([{ storyId, article }]),
    );
    expect(actual).toEqual(expected);
    expect(new Set(actual).size).toBe(MAX_POSTINGS + 60);
    const full = database?.db
      .prepare('SELECT COUNT(*) AS n FROM dedup_lists WHERE length(entries) >= ?')
      .get(MAX_POSTINGS * 4) as { n: number };
    expect(full.n).toBeGreaterThan(0);
  });

  it('decides the same when each plan of articles is looked up ahead in bulk', () => {
    const articles = corpus();
    const expected = decide(articles, createStoryMatcher(), () => undefined);
    // Small plans put most copies in a later plan than their story; larger ones span look-ahead
    // groups, and the whole corpus as one plan is looked up a window at a time.
    for (const planSize of [5, 150, articles.length]) {
      const index = sqliteIndex();
      expect(index.matcher.lookAhead).toBeDefined();
      const actual: string[] = [];
      for (let start = 0; start < articles.length; start += planSize) {
        const plan = articles.slice(start, start + planSize);
        index.beginRun();
        index.matcher.lookAhead?.(plan);
        const storyIds = plan.map((article, i) => {
          const storyId = index.matcher.findMatch(article)?.storyId ?? `s-${start + i}`;
          index.matcher.add(storyId, article);
          return storyId;
        });
        index.persist(plan.map((article, i) => ({ storyId: storyIds[i] ?? '', article })));
        actual.push(...storyIds);
      }
      expect(actual).toEqual(expected);
      database?.close();
      database = undefined;
    }
  });

  it('finds every stored story for a plan longer than one look-ahead window', () => {
    const index = sqliteIndex();
    const count = 1_100;
    index.persist(Array.from({ length: count }, (_, n) => ({ storyId: `s-${n}`, article: story(n) })));
    const copies = Array.from({ length: count }, (_, n) => copy(n));
    index.beginRun();
    index.matcher.lookAhead?.(copies);
    expect(copies.map((article) => index.matcher.findMatch(article)?.storyId)).toEqual(
      Array.from({ length: count }, (_, n) => `s-${n}`),
    );
  });

  it('breaks a tie between equally similar stories as the in-memory matcher does, looked up ahead or not', () => {
    // One article filed under two stories (as two instances might have): equal similarity.
    const memory = createStoryMatcher();
    memory.add('s-first', story(3));
    memory.add('s-second', story(3));
    const expected = memory.findMatch(copy(3))?.storyId;
    expect(expected).toBe('s-first');
    const index = sqliteIndex();
    index.persist([{ storyId: 's-first', article: story(3) }]);
    index.persist([{ storyId: 's-second', article: story(3) }]);
    index.beginRun();
    expect(index.matcher.findMatch(copy(3))?.storyId).toBe(expected);
    const query = copy(3);
    index.matcher.lookAhead?.([story(9), query]);
    expect(index.matcher.findMatch(query)?.storyId).toBe(expected);
  });

  it('writes the same lists whether entries come in one at a time or in batches', () => {
    const articles = corpus();
    const storyIds = decide(articles, createStoryMatcher(), () => undefined);
    const lists = (
      persist: (index: DedupIndex, entries: { storyId: string; article: MatchableArticle }[]) => void,
    ) => {
      const index = sqliteIndex();
      persist(
        index,
        articles.map((article, i) => ({ storyId: storyIds[i] ?? '', article })),
      );
      const rows = database?.db
        .prepare('SELECT shingle, hex(entries) AS entries FROM dedup_lists ORDER BY shingle')
        .all();
      database?.close();
      database = undefined;
      return rows;
    };
    const oneByOne = lists((index, entries) => entries.forEach((entry) => index.persist([entry])));
    // Batches of 200, as an ingest commits them: copies land in the batch of their original.
    const batched = lists((index, entries) => {
      for (let i = 0; i < entries.length; i += 200) index.persist(entries.slice(i, i + 200));
    });
    expect(batched).toEqual(oneByOne);
  });

  it('keeps one posting per story per key however often the story is copied', () => {
    const index = sqliteIndex();
    for (let n = 0; n < 50; n++) index.persist([{ storyId: 's-copied', article: copy(1) }]);
    index.persist([{ storyId: 's-other', article: story(2) }]);
    const lists = database?.db.prepare('SELECT MAX(length(entries)) AS bytes FROM dedup_lists').get() as {
      bytes: number;
    };
    expect(lists.bytes).toBe(2 * 4);
    index.beginRun();
    expect(index.matcher.findMatch(story(1))?.storyId).toBe('s-copied');
  });

  it('no longer matches a story once it is deleted', () => {
    const index = sqliteIndex();
    index.persist([
      { storyId: 's-1', article: story(1) },
      { storyId: 's-1', article: copy(1) },
      { storyId: 's-2', article: story(2) },
    ]);
    index.removeStory('s-1');
    index.beginRun();
    expect(index.matcher.findMatch(copy(1))).toBeUndefined();
    expect(index.matcher.findMatch(copy(2))?.storyId).toBe('s-2');
    expect(
      database?.db.prepare("SELECT COUNT(*) AS n FROM dedup_story_keys WHERE story_id = 's-1'").get(),
    ).toEqual({ n: 0 });
  });
});
