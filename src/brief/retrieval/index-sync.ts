import type { Logger } from '../../logger.ts';
import type { StoryRepository } from '../../news/story-repository.ts';
import type { StoryChangeLog } from '../../store/change-log.ts';
import type { Story } from '../../news/types.ts';
import type { StoryCatalog } from '../story-catalog.ts';
import type { PersistentStoryIndex } from './fts-story-index.ts';

/** Keeps the persistent answer index in step with the store through the change log. */
export interface IndexSync {
  /**
   * Re-indexes the stories changed since the index's cursor; returns how many. Reads only
   * what changed: the whole store is read once, the first time an index meets a store (or when
   * the log was trimmed past its cursor).
   */
  catchUp(): Promise<number>;
}

/** Changes read and applied per transaction. */
const PAGE = 500;

export function createIndexSync(options: {
  index: PersistentStoryIndex;
  repository: StoryRepository;
  changes: StoryChangeLog;
  /** True when the index is the log's only reader (SQLite: same file), so read entries are dropped. */
  pruneLog: boolean;
  log: Logger;
  /** The story catalog kept in the index's transactions; filled once for an index built before it. */
  catalog?: Pick<StoryCatalog, 'needsFill' | 'fill' | 'markFilled'>;
}): IndexSync {
  const { index, repository, changes, log, catalog } = options;

  /** An index from before the catalog: its stories are added from the store once (no re-indexing). */
  async function fillCatalog(): Promise<void> {
    if (!catalog?.needsFill()) return;
    let page: Story[] = [];
    let filled = 0;
    for await (const story of repository.eachStory()) {
      page.push(story);
      if (page.length === PAGE) {
        catalog.fill(page);
        filled += page.length;
        page = [];
      }
    }
    catalog.fill(page);
    catalog.markFilled();
    log.info({ stories: filled + page.length }, 'story catalog filled from the store');
  }
  let queue: Promise<unknown> = Promise.resolve();

  async function load(storyIds: readonly string[]) {
    return Promise.all(
      [...new Set(storyIds)].map(async (storyId) => {
        const story = await repository.getStory(storyId);
        return story ? { storyId, story, articles: await repository.articlesOf(story) } : { storyId };
      }),
    );
  }

  /** The first meeting (or a log trimmed past the cursor): every stored story, once. */
  async function buildFromStore(): Promise<number> {
    const head = await changes.head();
    index.clear();
    const stories = await repository.listStories();
    for (let i = 0; i < stories.length; i += PAGE) {
      const page = stories.slice(i, i + PAGE);
      const loaded = await Promise.all(
        page.map(async (story) => ({
          storyId: story.id,
          story,
          articles: await repository.articlesOf(story),
        })),
      );
      // Cursor stays unset until the last page: a crash part-way starts the build over.
      index.apply(loaded, index.cursor(), i + PAGE >= stories.length ? head : (index.cursor() ?? ''));
    }
    if (stories.length === 0) index.apply([], index.cursor(), head);
    log.info({ stories: stories.length, passages: index.size() }, 'answer index built from the store');
    return stories.length;
  }

  async function catchUpNow(): Promise<number> {
    await fillCatalog();
    let from = index.cursor();
    if (from === undefined || from === '') return buildFromStore();
    const started = from;
    let applied = 0;
    for (;;) {
      const page = await changes.readSince(from, PAGE);
      if (page.reset) return applied + (await buildFromStore());
      if (page.storyIds.length === 0) break;
      const loaded = await load(page.storyIds);
      // Another process sharing the index file moved the cursor first: read on from there.
      if (index.apply(loaded, from, page.cursor)) applied += loaded.length;
      from = index.cursor();
      if (from === undefined) return applied + (await buildFromStore());
    }
    // Only when the cursor moved: a catch-up that found nothing new (most /status, /brief and
    // autocomplete calls) must not write, nor wait for another process's write lock.
    if (options.pruneLog && from !== undefined && from !== started) await changes.prune(from);
    if (applied > 0) log.debug({ stories: applied }, 'answer index caught up');
    return applied;
  }

  return {
    catchUp() {
      const run = queue.then(catchUpNow);
      queue = run.catch(() => undefined);
      return run;
    },
  };
}
