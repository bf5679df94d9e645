import { articleCodec, storyCodec } from '../news/schemas.ts';
import {
  articleHashCodec,
  createStoryRepository,
  ingestJournalCodec,
  type StoryRepository,
} from '../news/story-repository.ts';
import type { StoreBackend } from '../store/backend.ts';
import { createMemoryDedupIndex, createSqliteDedupIndex, type DedupIndex } from '../news/dedup-index.ts';
import { createReplicatedDedupIndex } from '../news/dedup-replica.ts';
import type { Logger } from '../logger.ts';
import type { SqliteDatabase } from '../store/sqlite-database.ts';

const dedupIndexes = new WeakMap<StoreBackend, DedupIndex>();

/**
 * The near-duplicate index of a backend: in its SQLite file; with Redis, a replica in the
 * instance's local index file (`localIndex`, see local-index.ts) caught up from the change log;
 * else in this process's memory. The first call decides; later calls get the same index.
 */
export function dedupIndexFor(
  backend: StoreBackend,
  localIndex?: { database: SqliteDatabase; log: Logger },
): DedupIndex {
  let index = dedupIndexes.get(backend);
  if (index === undefined) {
    if (backend.sqlite) index = createSqliteDedupIndex(backend.sqlite);
    else if (localIndex) {
      index = createReplicatedDedupIndex({
        local: createSqliteDedupIndex(localIndex.database),
        database: localIndex.database,
        changes: backend.storyChanges,
        repository: buildStoryRepository(backend),
        log: localIndex.log,
      });
    } else index = createMemoryDedupIndex();
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
