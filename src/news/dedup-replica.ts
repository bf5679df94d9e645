/**
 * The near-duplicate index for several instances on one Redis: each instance keeps the SQLite
 * index in its own local file (beside its answer index) and brings it up to date from the
 * store's change log before each ingest run, so an ingest reads only what changed since the
 * instance's last run, never the whole store (the store is read once, when a file first meets
 * it or the log was trimmed past its cursor).
 *
 * The replica never writes its own ingest's rows directly: it applies them from the change log
 * like everyone else's, after the store has them, so the local file is never ahead of Redis. A
 * run matches what it plans itself through the index's in-memory overlay.
 */
import type { Logger } from '../logger.ts';
import type { StoryChangeLog } from '../store/change-log.ts';
import type { SqliteDatabase } from '../store/sqlite-database.ts';
import type { SqliteDedupIndex, DedupIndex } from './dedup-index.ts';
import type { StoryRepository } from './story-repository.ts';

/** Stories applied per local transaction. */
const PAGE = 500;
const CURSOR_KEY = 'dedup-replica-cursor';

export interface ReplicatedDedupIndex extends DedupIndex {
  /** Applies the stories changed since the local cursor; returns how many were read. */
  catchUp(): Promise<number>;
}

export function createReplicatedDedupIndex(options: {
  local: SqliteDedupIndex;
  database: SqliteDatabase;
  changes: StoryChangeLog;
  repository: Pick<StoryRepository, 'getStory' | 'articlesOf' | 'eachStory'>;
  log: Logger;
}): ReplicatedDedupIndex {
  const { local, database, changes, repository, log } = options;
  database.db.exec('CREATE TABLE IF NOT EXISTS herald_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');

  const cursor = (): string | undefined =>
    (
      database.statement('SELECT value FROM herald_meta WHERE key = ?').get(CURSOR_KEY) as
        { value: string } | undefined
    )?.value;
  const saveCursor = (value: string): void => {
    database
      .statement(
        'INSERT INTO herald_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      )
      .run(CURSOR_KEY, value);
  };

  /** Replaces the rows of `storyIds` with what the store holds now (none for a deleted story), in one local transaction. */
  async function apply(storyIds: readonly string[], nextCursor: string | undefined): Promise<void> {
    const loaded = await Promise.all(
      [...new Set(storyIds)].map(async (storyId) => {
        const story = await repository.getStory(storyId);
        return { storyId, articles: story ? await repository.articlesOf(story) : [] };
      }),
    );
    await database.batch(async () => {
      for (const { storyId, articles } of loaded) {
        local.removeStory(storyId);
        // In the story's own order: its first article keeps each shared shingle, as at ingest.
        local.persist(articles.map((article) => ({ storyId, article })));
      }
      if (nextCursor !== undefined)
        database.pendingBatch()?.alsoInTransaction.push(() => saveCursor(nextCursor));
    });
  }

  async function rebuild(): Promise<number> {
    const head = await changes.head();
    await database.batch(async () => local.clear());
    let page: string[] = [];
    let read = 0;
    for await (const story of repository.eachStory()) {
      page.push(story.id);
      if (page.length === PAGE) {
        await apply(page, undefined);
        read += page.length;
        page = [];
      }
    }
    // The cursor is saved with the last page: a crash part-way starts the rebuild over.
    await apply(page, head);
    read += page.length;
    log.info({ stories: read }, 'dedup index built from the store for this instance');
    return read;
  }

  async function catchUpNow(): Promise<number> {
    let from = cursor();
    if (from === undefined) return rebuild();
    let read = 0;
    for (;;) {
      const page = await changes.readSince(from, PAGE);
      if (page.reset) return read + (await rebuild());
      if (page.storyIds.length === 0) return read;
      await apply(page.storyIds, page.cursor);
      read += page.storyIds.length;
      from = page.cursor;
    }
  }

  let queue: Promise<unknown> = Promise.resolve();
  return {
    matcher: local.matcher,
    persistent: true,
    ready: () => cursor() !== undefined,
    beginRun: () => local.beginRun(),
    // The change log brings this run's stories in at the next catch-up, after the store has them.
    persist() {},
    markReady() {},
    removeStory: (storyId) => local.removeStory(storyId),
    catchUp() {
      const run = queue.then(catchUpNow);
      queue = run.catch(() => undefined);
      return run;
    },
  };
}
