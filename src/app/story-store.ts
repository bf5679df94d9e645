import type { Logger } from '../logger.ts';
import { createMemoryDedupIndex, createSqliteDedupIndex, type DedupIndex } from '../news/dedup-index.ts';
import { createReplicatedDedupIndex } from '../news/dedup-replica.ts';
import { articleCodec, storyCodec } from '../news/schemas.ts';
import {
  articleHashCodec,
  createStoryRepository,
  ingestJournalCodec,
  type StoryRepository,
} from '../news/story-repository.ts';
import type { StoreBackend } from '../store/backend.ts';
import type { SqliteDatabase } from '../store/sqlite-database.ts';

/** The stories and the near-duplicate index that must forget a story when it is deleted. */
export interface StoryStore {
  repository: StoryRepository;
  dedup: DedupIndex;
}

/**
 * The story store on a backend, with its hash index, ingest journal and change log, and its
 * near-duplicate index: in the SQLite store's own file; with Redis, a replica in the instance's
 * local index file (`localIndex`, see local-index.ts) caught up from the change log; else in
 * this process's memory. Each call builds a new pair; the root builds one.
 */
export function buildStoryStore(
  backend: StoreBackend,
  localIndex?: { database: SqliteDatabase; log: Logger },
): StoryStore {
  const local = localIndex && !backend.sqlite ? createSqliteDedupIndex(localIndex.database) : undefined;
  // A deleted story's rows go at once; with a replica they live in its local file.
  const rows: DedupIndex = backend.sqlite
    ? createSqliteDedupIndex(backend.sqlite)
    : (local ?? createMemoryDedupIndex());
  const repository = createStoryRepository({
    stories: backend.records('stories', storyCodec),
    articles: backend.records('articles', articleCodec),
    hashes: backend.records('article-hashes', articleHashCodec),
    journal: backend.records('ingest-journal', ingestJournalCodec),
    changes: backend.storyChanges,
    batch: (work) => backend.batch(work),
    atomicBatches: backend.atomicBatches,
    ...(backend.fieldIndex ? { updatedAtIndex: backend.fieldIndex('stories', 'updatedAt') } : {}),
    onDeleteStory: (storyId) => rows.removeStory(storyId),
  });
  const dedup =
    local && localIndex
      ? createReplicatedDedupIndex({
          local,
          database: localIndex.database,
          changes: backend.storyChanges,
          repository,
          log: localIndex.log,
        })
      : rows;
  return { repository, dedup };
}
