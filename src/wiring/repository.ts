import { articleCodec, storyCodec } from '../news/schemas.ts';
import { articleHashCodec, createStoryRepository, ingestJournalCodec, type StoryRepository } from '../news/story-repository.ts';
import type { StoreBackend } from '../store/backend.ts';

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
  });
}
