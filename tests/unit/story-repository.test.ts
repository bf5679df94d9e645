import { describe, expect, it } from 'vitest';
import { createStoreBackend } from '../../src/store/backend.ts';
import { articleCodec, storyCodec } from '../../src/news/schemas.ts';
import { createStoryRepository, ingestJournalCodec } from '../../src/news/story-repository.ts';
import type { Story, StoredArticle } from '../../src/news/types.ts';
import { buildStoryStore } from '../../src/app/story-store.ts';

function article(id: string, storyId: string): StoredArticle {
  return {
    id,
    title: `Title ${id}`,
    paragraphs: ['Some text.'],
    source: { name: 'Wire' },
    storyId,
    contentHash: `hash-${id}`,
    fetchedAt: '2026-01-01T00:00:00.000Z',
    sourceTopics: [],
  };
}
function story(id: string, articleIds: string[]): Story {
  const at = '2026-01-01T00:00:00.000Z';
  return {
    id,
    title: `Story ${id}`,
    articleIds,
    sources: [{ name: 'Wire' }],
    publishedAt: at,
    firstSeenAt: at,
    updatedAt: at,
    contentHash: 'h',
    topics: [],
    entities: [],
    sourceWeight: 1,
    featured: false,
  };
}

describe('ingest batches on a store without transactions', () => {
  it('finishes a batch a crash cut short from its journal: no article is left without its story', async () => {
    const backend = await createStoreBackend({ url: 'memory://' });
    const articles = backend.records('articles', articleCodec);
    const journal = backend.records('ingest-journal', ingestJournalCodec);
    // What a process killed between the article writes and the story writes leaves behind.
    const batch = {
      articles: [article('a1', 's1'), article('a2', 's1'), article('a3', 's3')],
      stories: [story('s1', ['a1', 'a2']), story('s3', ['a3'])],
    };
    await journal.set('interrupted', batch);
    await articles.set('a1', batch.articles[0] as StoredArticle);

    const repository = buildStoryStore(backend).repository;
    expect(await repository.getStory('s1')).toBeUndefined();
    expect(await repository.finishInterruptedBatches()).toBe(1);
    expect((await repository.getStory('s1'))?.articleIds).toEqual(['a1', 'a2']);
    expect((await repository.getStory('s3'))?.articleIds).toEqual(['a3']);
    expect(await repository.getArticle('a2')).toBeDefined();
    expect(await repository.articleIdByHash('hash-a3')).toBe('a3');
    // Done once: the journal is gone.
    expect(await repository.finishInterruptedBatches()).toBe(0);
  });

  it('leaves no journal behind after a batch that completed', async () => {
    const backend = await createStoreBackend({ url: 'memory://' });
    const journal = backend.records('ingest-journal', ingestJournalCodec);
    const repository = createStoryRepository({
      stories: backend.records('stories', storyCodec),
      articles: backend.records('articles', articleCodec),
      journal,
    });
    await repository.commitBatch({ articles: [article('a1', 's1')], stories: [story('s1', ['a1'])] });
    const left = [];
    for await (const entry of journal.entries()) left.push(entry);
    expect(left).toEqual([]);
    expect((await repository.getStory('s1'))?.articleIds).toEqual(['a1']);
  });
});
