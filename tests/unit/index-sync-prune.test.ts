// Catching the answer index up is done before every answer, brief and autocomplete: when the
// change log holds nothing new it must not write (a read-only or busy store still answers).
import { describe, expect, it } from 'vitest';
import { createIndexSync } from '../../src/brief/retrieval/index-sync.ts';
import { createMemoryStoryIndex } from '../../src/brief/retrieval/fts-story-index.ts';
import { createLogger } from '../../src/logger.ts';
import type { StoryRepository } from '../../src/news/story-repository.ts';
import type { Story, StoredArticle } from '../../src/news/types.ts';
import { createMemoryChangeLog } from '../../src/store/change-log.ts';

function storyWith(id: string): { story: Story; article: StoredArticle } {
  const at = '2026-11-30T08:00:00.000Z';
  const story = {
    id,
    title: `Harbour story ${id}`,
    articleIds: [`a-${id}`],
    sources: [{ name: 'Wire' }],
    publishedAt: at,
    firstSeenAt: at,
    updatedAt: at,
    contentHash: `h-${id}`,
    topics: [],
    entities: [],
    sourceWeight: 1,
    featured: false,
  } as Story;
  const article = {
    id: `a-${id}`,
    storyId: id,
    title: story.title,
    paragraphs: ['The harbour board met on Monday and approved the new ferry timetable for the winter.'],
    source: { name: 'Wire' },
    contentHash: `h-${id}`,
    fetchedAt: at,
    sourceTopics: [],
  } as StoredArticle;
  return { story, article };
}

describe('the answer index catch-up', () => {
  it('writes to the change log only when it read something new', async () => {
    const stored = new Map<string, { story: Story; article: StoredArticle }>();
    const repository = {
      getStory: async (id: string) => stored.get(id)?.story,
      articlesOf: async (story: Story) =>
        [stored.get(story.id)?.article].filter((a): a is StoredArticle => a !== undefined),
      listStories: async () => [...stored.values()].map((s) => s.story),
      async *eachStory() {
        for (const s of stored.values()) yield s.story;
      },
    } as unknown as StoryRepository;
    const log = createMemoryChangeLog();
    let prunes = 0;
    const changes = { ...log, prune: async (cursor: string) => ((prunes += 1), log.prune(cursor)) };
    const sync = createIndexSync({
      index: createMemoryStoryIndex(),
      repository,
      changes,
      pruneLog: true,
      log: createLogger('silent'),
    });

    stored.set('s1', storyWith('s1'));
    await log.append(['s1']);
    expect(await sync.catchUp()).toBe(1);
    const afterFirst = prunes;
    expect(await sync.catchUp()).toBe(0);
    expect(await sync.catchUp()).toBe(0);
    expect(prunes).toBe(afterFirst);

    stored.set('s2', storyWith('s2'));
    await log.append(['s2']);
    expect(await sync.catchUp()).toBe(1);
    expect(prunes).toBe(afterFirst + 1);
  });
});
