// Retention on a SQLite store reads the stories that expire through an index on their last
// update, not by reading every story. These tests hold it to what the full walk gave: exactly
// the expired stories, on a file written before the index existed, after restarts, and with
// stories updated or deleted since.
import { randomUUID } from 'node:crypto';
import { allCommands } from '../../commands/index.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { createLogger } from '../../src/logger.ts';
import { createHerald, type Herald } from '../../src/app/herald.ts';
import { articleCodec, storyCodec } from '../../src/news/schemas.ts';
import { createStoryRepository, type StoryRepository } from '../../src/news/story-repository.ts';
import type { Story, StoredArticle } from '../../src/news/types.ts';
import { createStoreBackend, type StoreBackend } from '../../src/store/backend.ts';
import type { RecordStore } from '../../src/store/types.ts';
import { buildStoryStore } from '../../src/app/story-store.ts';
import { quietTransport } from '../support/quiet-transport.ts';

const DAY = 86_400_000;
const START = Date.parse('2026-03-01T12:00:00.000Z');

function article(id: string, storyId: string): StoredArticle {
  return {
    id,
    title: `Title ${id}`,
    paragraphs: ['Some text.'],
    source: { name: 'Wire' },
    storyId,
    contentHash: `hash-${id}`,
    fetchedAt: new Date(START).toISOString(),
    sourceTopics: [],
  };
}
function story(id: string, updatedAt: number): Story {
  const at = new Date(updatedAt).toISOString();
  return {
    id,
    title: `Story ${id}`,
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
  };
}

async function ids(stories: AsyncIterable<Story>): Promise<string[]> {
  const found: string[] = [];
  for await (const s of stories) found.push(s.id);
  return found.sort();
}

/** The stories record store, counting how it is read. */
function counted(store: RecordStore<Story>): {
  store: RecordStore<Story>;
  reads: { get: number; walks: number };
} {
  const reads = { get: 0, walks: 0 };
  return {
    reads,
    store: {
      get: (key) => {
        reads.get++;
        return store.get(key);
      },
      set: (key, value, ttlMs) => store.set(key, value, ttlMs),
      delete: (key) => store.delete(key),
      entries: () => {
        reads.walks++;
        return store.entries();
      },
    },
  };
}

let dir: string;
let file: string;
const open: StoreBackend[] = [];
async function openBackend(): Promise<StoreBackend> {
  const backend = await createStoreBackend({ url: `sqlite://${file}` });
  open.push(backend);
  return backend;
}
async function putAll(repository: StoryRepository, stories: Story[]): Promise<void> {
  await repository.commitBatch({ articles: stories.map((s) => article(`a-${s.id}`, s.id)), stories });
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'herald-retention-'));
  file = path.join(dir, 'herald.sqlite');
});
afterEach(async () => {
  for (const backend of open.splice(0)) await backend.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('stories updated before a cutoff, on SQLite', () => {
  it('gives exactly the stories the full walk gives, reading only those', async () => {
    const backend = await openBackend();
    // Ages on both sides of the cutoff, one a millisecond either side of it.
    const cutoff = START - 30 * DAY;
    const stories = [
      story('old1', START - 40 * DAY),
      story('old2', cutoff - 1),
      story('edge', cutoff),
      story('new1', cutoff + 1),
      story('new2', START),
    ];
    await putAll(buildStoryStore(backend).repository, stories);

    const walk = createStoryRepository({
      stories: backend.records('stories', storyCodec),
      articles: backend.records('articles', articleCodec),
    });
    const { store, reads } = counted(backend.records('stories', storyCodec));
    const index = backend.fieldIndex?.('stories', 'updatedAt');
    expect(index).toBeDefined();
    const indexed = createStoryRepository({
      stories: store,
      articles: backend.records('articles', articleCodec),
      ...(index ? { updatedAtIndex: index } : {}),
    });

    expect(await ids(indexed.storiesUpdatedBefore(cutoff))).toEqual(['old1', 'old2']);
    expect(await ids(walk.storiesUpdatedBefore(cutoff))).toEqual(['old1', 'old2']);
    // Two stories expire: two records read, and no walk over the others.
    expect(reads).toEqual({ get: 2, walks: 0 });
  });

  it('answers on a new file where nothing was ever stored', async () => {
    const backend = await openBackend();
    expect(await backend.fieldIndex?.('stories', 'updatedAt').keysBelow('9999')).toEqual([]);
  });

  it('works on a file written before the index existed, and keeps up with updates and deletes after a restart', async () => {
    const first = await openBackend();
    // Written as a Herald without the index wrote it.
    const before = createStoryRepository({
      stories: first.records('stories', storyCodec),
      articles: first.records('articles', articleCodec),
      batch: (work) => first.batch(work),
    });
    await putAll(before, [
      story('a', START - 40 * DAY),
      story('b', START - 35 * DAY),
      story('c', START - 5 * DAY),
    ]);
    const indexes = (db: DatabaseSync) =>
      (
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'keyv_%'").all() as {
          name: string;
        }[]
      ).map((row) => row.name);
    const probe = new DatabaseSync(file);
    expect(indexes(probe)).toEqual([]);
    await first.close();
    open.splice(open.indexOf(first), 1);

    const second = await openBackend();
    const repository = buildStoryStore(second).repository;
    // Built from the stored rows as the store opens, before any write of this version.
    expect(indexes(probe)).toEqual(['keyv_herald_stories_updatedAt']);
    const cutoff = START - 30 * DAY;
    expect(await ids(repository.storiesUpdatedBefore(cutoff))).toEqual(['a', 'b']);
    probe.close();
    // An update brings a story back inside retention; a delete removes it from the index.
    await repository.putStory(story('b', START));
    await repository.deleteStory(story('a', START - 40 * DAY));
    await putAll(repository, [story('d', START - 31 * DAY)]);
    await second.close();
    open.splice(open.indexOf(second), 1);

    const third = await openBackend();
    expect(await ids(buildStoryStore(third).repository.storiesUpdatedBefore(cutoff))).toEqual(['d']);
  });
});

const redisUrl = process.env.REDIS_URL;
describe.runIf(redisUrl)('stories updated before a cutoff, on Redis (an index the writes keep)', () => {
  it('fills the index once on a store written before it, then reads only what expires, through updates and deletes', async () => {
    const backend = await createStoreBackend({ url: redisUrl ?? '', keyPrefix: `test-${randomUUID()}` });
    open.push(backend);
    const cutoff = START - 30 * DAY;
    // Written as a Herald without the index wrote it.
    const before = createStoryRepository({
      stories: backend.records('stories', storyCodec),
      articles: backend.records('articles', articleCodec),
    });
    await putAll(before, [
      story('a', START - 40 * DAY),
      story('b', START - 35 * DAY),
      story('c', START - 5 * DAY),
      story('edge', cutoff),
    ]);

    const index = backend.fieldIndex?.('stories', 'updatedAt');
    expect(index?.upkeep).toBeDefined();
    const { store, reads } = counted(backend.records('stories', storyCodec));
    const repository = createStoryRepository({
      stories: store,
      articles: backend.records('articles', articleCodec),
      ...(index ? { updatedAtIndex: index } : {}),
    });
    expect(await ids(repository.storiesUpdatedBefore(cutoff))).toEqual(['a', 'b']);
    expect(reads.walks).toBe(1);

    // Filled once: from now on the writes keep it, and nothing walks the store.
    await repository.putStory(story('b', START));
    await repository.deleteStory(story('a', START - 40 * DAY));
    await putAll(repository, [story('d', START - 31 * DAY)]);
    reads.get = 0;
    expect(await ids(repository.storiesUpdatedBefore(cutoff))).toEqual(['d']);
    expect(reads).toEqual({ get: 1, walks: 1 });
  });
});

describe('retention in the ingest job on SQLite', () => {
  let herald: Herald | undefined;
  afterEach(async () => {
    await herald?.close();
    herald = undefined;
  });

  async function start(now: () => number): Promise<Herald> {
    const config = path.join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ sources: [] }));
    return createHerald(loadConfig({ STORE_URL: `sqlite://${file}`, HERALD_CONFIG: config }), {
      commands: allCommands,
      log: createLogger('silent'),
      transport: quietTransport(),
      now,
    });
  }
  function articleFile(name: string, title: string, subject: string): string {
    const text = `${title}\n\n${Array.from({ length: 4 }, (_, i) => `The ${subject} committee met for session ${i + 1} and agreed on the ${subject} plan for the harbour district.`).join('\n\n')}\n`;
    const at = path.join(dir, name);
    writeFileSync(at, text);
    return at;
  }

  it('removes the expired stories after a restart, from the store and from /ask, and keeps the others', async () => {
    let clock = START;
    herald = await start(() => clock);
    await herald.services.ingest.ingestLocations([
      articleFile('bridge.txt', 'Bridge repairs begin', 'bridge'),
    ]);
    clock += 20 * DAY;
    await herald.services.ingest.ingestLocations([
      articleFile('library.txt', 'Library reopens downtown', 'library'),
    ]);
    await herald.close();

    clock += 11 * DAY;
    herald = await start(() => clock);
    const bridge = {
      question: 'What did the bridge committee agree?',
      userId: 'u',
      guildId: undefined,
      audience: 'operator' as const,
    };
    const library = { ...bridge, question: 'What did the library committee agree?' };
    expect((await herald.services.ask.ask(bridge)).found).toBe(true);
    const run = await herald.services.ingest.runAll();
    expect(run.changedStoryIds).toHaveLength(1);
    const left = await herald.services.brief.ranked({ audience: 'operator', count: 5, includeBacklog: true });
    expect(left.map((ranked) => ranked.story.title)).toEqual(['Library reopens downtown']);
    expect((await herald.services.ask.ask(bridge)).found).toBe(false);
    expect((await herald.services.ask.ask(library)).found).toBe(true);
  });
});
