import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vitest from 'vitest';
import { afterAll, describe, expect, it } from 'vitest';
import Keyv from 'keyv';
import keyvTestSuite, { keyvIteratorTests } from '@keyv/test-suite';
import { KeyvNodeSqlite } from '../../src/store/keyv-node-sqlite.ts';
import { openSqliteDatabase } from '../../src/store/sqlite-database.ts';
import { createStoreBackend } from '../../src/store/backend.ts';
import { articleCodec, storyCodec } from '../../src/news/schemas.ts';
import { createStoryRepository } from '../../src/news/story-repository.ts';

const tempDir = mkdtempSync(path.join(tmpdir(), 'herald-keyv-sqlite-'));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

// keyv's own conformance suite, against a file (WAL and all), as Herald opens it.
const database = openSqliteDatabase(path.join(tempDir, 'suite.sqlite'));
afterAll(() => database.close());
const store = () => new KeyvNodeSqlite(database);
describe('@keyv/test-suite on node:sqlite', () => {
  keyvTestSuite(vitest, Keyv, store);
  keyvIteratorTests(vitest, Keyv, store);
});

describe('batched writes', () => {
  it('commits a batch all together, and a batch that fails writes nothing', async () => {
    const db = openSqliteDatabase(path.join(tempDir, 'batch.sqlite'));
    try {
      const keyv = new Keyv({ store: new KeyvNodeSqlite(db), namespace: 'n', throwOnErrors: true });
      const rows = () => (db.db.prepare('SELECT COUNT(*) AS n FROM keyv').get() as { n: number }).n;
      await db.batch(async () => {
        await keyv.set('a', 1);
        await keyv.set('b', 2);
        // Read-your-writes inside the batch, nothing on disk yet.
        expect(await keyv.get('a')).toBe(1);
        expect(rows()).toBe(0);
      });
      expect(rows()).toBe(2);
      await expect(
        db.batch(async () => {
          await keyv.set('c', 3);
          throw new Error('half-way');
        }),
      ).rejects.toThrow('half-way');
      expect(await keyv.get('c')).toBeUndefined();
      expect(rows()).toBe(2);
    } finally {
      db.close();
    }
  });
});

describe('a data/herald.sqlite written by @keyv/sqlite 4.0.8 (Herald before node:sqlite)', () => {
  it('is read as it is: stories, articles and summaries stay, and new writes land beside them', async () => {
    // Written by `npm start -- ingest` of two sample-news copies of one story with the sqlite3
    // adapter, then VACUUMed to 512-byte pages to keep the fixture small.
    const fixture = path.join(
      import.meta.dirname,
      '../fixtures/legacy-store/herald-keyv-sqlite-4.0.8.sqlite.gz',
    );
    const file = path.join(tempDir, 'legacy.sqlite');
    writeFileSync(file, gunzipSync(readFileSync(fixture)));
    const backend = await createStoreBackend({ url: `sqlite://${file}` });
    try {
      const repository = createStoryRepository({
        stories: backend.records('stories', storyCodec),
        articles: backend.records('articles', articleCodec),
      });
      const stories = await repository.listStories();
      expect(stories.map((s) => s.id)).toEqual(['s-244c9e3e4213980f']);
      const story = stories[0];
      if (!story) throw new Error('no story');
      expect(story.sources.map((s) => s.name).sort()).toEqual(['Coastline Courier', 'Valley Dispatch']);
      const articles = await repository.articlesOf(story);
      expect(articles).toHaveLength(2);
      expect(articles[0]?.paragraphs.join(' ')).toContain('Caldera');
      await repository.putStory({ ...story, title: 'Updated title' });
      expect((await repository.getStory(story.id))?.title).toBe('Updated title');
    } finally {
      await backend.close();
    }
  });
});
