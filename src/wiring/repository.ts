import { articleCodec, storyCodec } from '../news/schemas.ts';
import { articleHashCodec, createStoryRepository, ingestJournalCodec, type StoryRepository } from '../news/story-repository.ts';
import type { StoreBackend } from '../store/backend.ts';
import { createMemoryDedupIndex, createSqliteDedupIndex, type DedupIndex } from '../news/dedup-index.ts';

const dedupIndexes = new WeakMap<StoreBackend, DedupIndex>();

/** The near-duplicate index of a backend: in its SQLite file, else in this process's memory. */
export function dedupIndexFor(backend: StoreBackend): DedupIndex {
  let index = dedupIndexes.get(backend);
  if (index === undefined) {
    index = backend.sqlite ? createSqliteDedupIndex(backend.sqlite) : createMemoryDedupIndex();
    dedupIndexes.set(backend, index);
  }
  return index;
}

/** The story store on a backend, with its hash index, ingest journal and change log. */
export function buildStoryRepository(backend: StoreBackend): StoryRepository {
  return createStoryRepository({
    stories: backend.records('stories', storyCodec),
    articles: backend.records('articles', articleCodec),
    hashes: backend.records('article-hashes', articleHashCodec),
    journal: backend.records('ingest-journal', ingestJournalCodec),
    changes: backend.storyChanges,
    batch: (work) => backend.batch(work),
    atomicBatches: backend.atomicBatches,
    ...(backend.fieldIndex ? { updatedAtIndex: backend.fieldIndex('stories', 'updatedAt') } : {}),
    onDeleteStory: (storyId) => dedupIndexFor(backend).removeStory(storyId),
  });
}
