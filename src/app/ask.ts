import { DatabaseSync } from 'node:sqlite';
import { createAskService, type AskServiceWithIndex } from '../brief/answer/ask-service.ts';
import { createExtractiveAnswerer } from '../brief/answer/extractive-answerer.ts';
import { createModelAnswerer } from '../brief/answer/model-answerer.ts';
import { createRateLimiter } from '../brief/answer/rate-limit.ts';
import { createRedisRateLimiter } from '../brief/answer/redis-rate-limit.ts';
import type { Answerer } from '../brief/answer/answer-types.ts';
import { createFtsStoryIndex } from '../brief/retrieval/fts-story-index.ts';
import { createIndexSync } from '../brief/retrieval/index-sync.ts';
import { createStoryCatalog } from '../brief/story-catalog.ts';
import { createCatalogStoryFinder, type StoryFinder } from '../brief/story-finder.ts';
import type { HeraldConfig } from '../config/schema.ts';
import type { LlmClient } from '../llm/types.ts';
import type { Logger } from '../logger.ts';
import type { StoryRepository } from '../news/story-repository.ts';
import type { StoreBackend } from '../store/backend.ts';
import type { SqliteDatabase } from '../store/sqlite-database.ts';

/**
 * Where the answer index lives: in the SQLite store's own file; with Redis, the instance's
 * local index file (opened and closed by the root), which catches up from the change log in
 * Redis; in memory for memory://.
 */
function openIndexDatabase(
  backend: StoreBackend,
  localIndex: SqliteDatabase | undefined,
): { db: DatabaseSync; close: () => void } {
  if (backend.sqlite) return { db: backend.sqlite.db, close: () => undefined };
  if (localIndex) return { db: localIndex.db, close: () => undefined };
  const db = new DatabaseSync(':memory:');
  return { db, close: () => db.close() };
}

/** The answer index, the extractive answerer, the model in front of it when configured. */
export function buildAsk(options: {
  config: HeraldConfig;
  backend: StoreBackend;
  localIndex: SqliteDatabase | undefined;
  repository: StoryRepository;
  llm: LlmClient | undefined;
  log: Logger;
  now: () => number;
}): AskServiceWithIndex & { finder: StoryFinder; close(): void } {
  const { config, backend } = options;
  const indexDb = openIndexDatabase(backend, options.localIndex);
  // The story catalog shares the index's file, transactions and cursor.
  const catalog = createStoryCatalog(indexDb.db);
  const index = createFtsStoryIndex(indexDb.db, {}, catalog);
  const sync = createIndexSync({
    index,
    repository: options.repository,
    changes: backend.storyChanges,
    pruneLog: backend.kind !== 'redis',
    log: options.log,
    catalog,
  });
  const extractive = createExtractiveAnswerer({ index, minConfidence: config.ask.minConfidence });
  const answerer: Answerer = options.llm
    ? createModelAnswerer({
        llm: options.llm,
        index,
        fallback: extractive,
        gate: extractive,
        maxPassages: config.ask.maxPassages,
      })
    : extractive;
  const rules = {
    perUser: { limit: config.ask.perUser.limit, windowMs: config.ask.perUser.windowSeconds * 1000 },
    perGuild: { limit: config.ask.perGuild.limit, windowMs: config.ask.perGuild.windowSeconds * 1000 },
    now: options.now,
  };
  // Instances on one Redis count a reader's questions together.
  const limiter = backend.redis
    ? createRedisRateLimiter({
        ...rules,
        client: backend.redis.client,
        prefix: backend.redis.prefix,
        onUnavailable: (error) =>
          options.log.warn(
            { err: error },
            '/ask rate limits unavailable (Redis did not answer); question let through',
          ),
      })
    : createRateLimiter(rules);
  const service = createAskService({
    repository: options.repository,
    index,
    sync,
    answerer,
    limiter,
    log: options.log,
  });
  const finder = createCatalogStoryFinder({
    catalog,
    stories: options.repository,
    catchUp: () => service.catchUp(),
    log: options.log,
  });
  return { ...service, finder, close: indexDb.close };
}
