// The dedup replica (one local index file per instance on Redis) follows the change log: new
// and deleted stories are applied in order, and a log trimmed past its cursor rebuilds the file
// from the store, dropping what the store no longer holds.
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteDedupIndex } from '../../src/news/dedup-index.ts';
import { createReplicatedDedupIndex } from '../../src/news/dedup-replica.ts';
import type { StoryRepository } from '../../src/news/story-repository.ts';
import type { Story, StoredArticle } from '../../src/news/types.ts';
import { createLogger } from '../../src/logger.ts';
import { createMemoryChangeLog } from '../../src/store/change-log.ts';
import { openSqliteDatabase, type SqliteDatabase } from '../../src/store/sqlite-database.ts';

const TEXTS: Record<string, string[]> = {
  bridge: [
    'A new footbridge over the river will open in spring, linking the station to the old town for people on foot and on bicycles.',
    'Engineers lifted the steel span into place overnight while the road below was closed, and the railings and lighting go in next.',
  ],
  market: [
    'Traders in the covered market have agreed a new rent with the council after months of talks about the cost of repairs to the roof.',
    'The market will stay open during the work, with stalls moved to the north hall while scaffolding stands in the main aisle.',
  ],
  pool: [
    'The outdoor swimming pool by the park will be heated from next summer, using panels on the changing rooms to warm the water.',
    'Lifeguards said attendance fell in cold weeks last year, and the club that trains there asked for longer evening sessions.',
  ],
  school: [
    'Work on an extension to the primary school begins in July, adding four classrooms and a hall for assemblies and school meals.',
    'Parents were told that pupils will use temporary rooms on the playing field until the new wing is ready after the winter break.',
  ],
};
const text = (topic: string): string[] => TEXTS[topic] ?? [];

/** A store of stories with one article each, as the replica reads it. */
function fakeRepository() {
  const stories = new Map<string, { story: Story; article: StoredArticle }>();
  const repository: Pick<StoryRepository, 'getStory' | 'articlesOf' | 'eachStory'> = {
    getStory: async (id) => stories.get(id)?.story,
    articlesOf: async (story) =>
      [stories.get(story.id)?.article].filter((a): a is StoredArticle => a !== undefined),
    async *eachStory() {
      for (const { story } of stories.values()) yield story;
    },
  };
  const put = (id: string, topic: string) => {
    const article = {
      id: `a-${id}`,
      title: `Council backs the ${topic}`,
      paragraphs: text(topic),
    } as unknown as StoredArticle;
    stories.set(id, { story: { id, articleIds: [article.id] } as unknown as Story, article });
  };
  return { repository, put, remove: (id: string) => stories.delete(id) };
}

let database: SqliteDatabase | undefined;
afterEach(() => database?.close());

describe('the dedup replica', () => {
  it('applies new and deleted stories from the log, and rebuilds from the store when the log was trimmed past it', async () => {
    database = openSqliteDatabase(':memory:');
    const store = fakeRepository();
    const changes = createMemoryChangeLog();
    const replica = createReplicatedDedupIndex({
      local: createSqliteDedupIndex(database),
      database,
      changes,
      repository: store.repository,
      log: createLogger('silent'),
    });
    const copyOf = (topic: string) => ({ title: `News of the ${topic}`, paragraphs: text(topic) });

    store.put('s-bridge', 'bridge');
    store.put('s-market', 'market');
    await changes.append(['s-bridge', 's-market']);
    expect(replica.ready()).toBe(false);
    expect(await replica.catchUp()).toBe(2);
    expect(replica.ready()).toBe(true);
    expect(replica.matcher.findMatch(copyOf('bridge'))?.storyId).toBe('s-bridge');
    expect(await replica.catchUp()).toBe(0);

    store.remove('s-market');
    store.put('s-pool', 'pool');
    await changes.append(['s-market', 's-pool']);
    expect(await replica.catchUp()).toBe(2);
    expect(replica.matcher.findMatch(copyOf('market'))).toBeUndefined();
    expect(replica.matcher.findMatch(copyOf('pool'))?.storyId).toBe('s-pool');

    // Changes the replica never read are trimmed away: it must rebuild, and what the store
    // dropped meanwhile (the bridge) leaves the file too.
    store.remove('s-bridge');
    store.put('s-school', 'school');
    await changes.append(['s-bridge', 's-school']);
    await changes.prune(await changes.head());
    await changes.append(['s-pool']);
    await replica.catchUp();
    expect(replica.matcher.findMatch(copyOf('bridge'))).toBeUndefined();
    expect(replica.matcher.findMatch(copyOf('school'))?.storyId).toBe('s-school');
    expect(replica.matcher.findMatch(copyOf('pool'))?.storyId).toBe('s-pool');
  });
});
