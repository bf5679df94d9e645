// Near-duplicates are found through an index kept in the SQLite file: a new process matches
// against what earlier processes stored, and a store from before the index gets it on first use.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { allCommands } from '../../commands/index.ts';
import { DatabaseSync } from 'node:sqlite';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { createLogger } from '../../src/logger.ts';
import { createHerald } from '../../src/app/herald.ts';
import { createStoreBackend } from '../../src/store/backend.ts';
import { buildStoryStore } from '../../src/app/story-store.ts';
import { unpackIds } from '../../src/news/dedup-postings.ts';
import { quietTransport } from '../support/quiet-transport.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'herald-dedup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const log = createLogger('silent');
const sample = (name: string) =>
  readFileSync(path.join(import.meta.dirname, '../../config/sample-news', name), 'utf8');

/** The Valley Dispatch copy of the port strike story, re-edited by a third outlet. */
function thirdCopy(): string {
  const file = path.join(dir, 'harbour-herald--caldera-strike.txt');
  writeFileSync(
    file,
    sample('valley-dispatch--caldera-port-strike.txt').replace(
      /^.*\n/,
      'Caldera port at a standstill as dockworkers strike\n',
    ),
  );
  return file;
}

describe('the dedup index in the SQLite file', () => {
  it('lets a new process merge a copy into the story an earlier process stored', async () => {
    const config = loadConfig({ STORE_URL: `sqlite://${path.join(dir, 'fresh.sqlite')}` });
    const first = await createHerald(config, { commands: allCommands, transport: quietTransport(), log });
    const stored = await first.services.ingest.ingestLocations([
      path.join(import.meta.dirname, '../../config/sample-news/coastline-courier--caldera-port-strike.txt'),
    ]);
    await first.close();
    const second = await createHerald(config, { commands: allCommands, transport: quietTransport(), log });
    try {
      const report = await second.services.ingest.ingestLocations([thirdCopy()]);
      expect(report.added).toEqual([]);
      expect(report.merged[0]?.storyId).toBe(stored.added[0]?.storyId);
    } finally {
      await second.close();
    }
  });

  it('is filled once from a store written before it existed', async () => {
    const file = path.join(dir, 'legacy.sqlite');
    writeFileSync(
      file,
      gunzipSync(
        readFileSync(
          path.join(import.meta.dirname, '../fixtures/legacy-store/herald-keyv-sqlite-4.0.8.sqlite.gz'),
        ),
      ),
    );
    const herald = await createHerald(loadConfig({ STORE_URL: `sqlite://${file}` }), {
      commands: allCommands,
      transport: quietTransport(),
      log,
    });
    try {
      const report = await herald.services.ingest.ingestLocations([thirdCopy()]);
      expect(report.merged[0]?.storyId).toBe('s-244c9e3e4213980f');
      expect(
        await herald.services.ask.ask({
          question: 'How many dockworkers joined the Caldera strike?',
          userId: 'u',
          guildId: undefined,
          audience: 'operator',
        }),
      ).toMatchObject({ found: true });
    } finally {
      await herald.close();
    }
  });

  it('converts the posting rows of a file written before the posting lists, losing nothing stored', async () => {
    // Written by Herald with one dedup_postings row per story per key: the sample news
    // ingested (the two port strike copies are one story), the answer index caught up.
    const file = path.join(dir, 'posting-rows.sqlite');
    writeFileSync(
      file,
      gunzipSync(
        readFileSync(
          path.join(import.meta.dirname, '../fixtures/legacy-store/herald-dedup-postings-rows.sqlite.gz'),
        ),
      ),
    );
    const before = new DatabaseSync(file, { readOnly: true });
    const storedBefore = before.prepare('SELECT key, value FROM keyv ORDER BY key').all();
    const entriesBefore = before.prepare('SELECT id, story_id FROM dedup_entries ORDER BY id').all();
    const postingsBefore = before
      .prepare('SELECT shingle, entry FROM dedup_postings ORDER BY shingle, entry')
      .all() as { shingle: number; entry: number }[];
    before.close();
    expect(postingsBefore.length).toBeGreaterThan(0);

    const herald = await createHerald(loadConfig({ STORE_URL: `sqlite://${file}` }), {
      commands: allCommands,
      transport: quietTransport(),
      log,
    });
    try {
      const report = await herald.services.ingest.ingestLocations([thirdCopy()]);
      expect(report.added).toEqual([]);
      expect(report.merged[0]?.storyId).toBe('s-244c9e3e4213980f');
      expect(
        await herald.services.ask.ask({
          question: 'How many dockworkers joined the Caldera strike?',
          userId: 'u',
          guildId: undefined,
          audience: 'operator',
        }),
      ).toMatchObject({ found: true });
    } finally {
      await herald.close();
    }

    const after = new DatabaseSync(file, { readOnly: true });
    try {
      expect(
        after.prepare("SELECT name FROM sqlite_schema WHERE name = 'dedup_postings'").get(),
      ).toBeUndefined();
      // Every record and every entry is still there (the third copy added one of each).
      const stored = new Map(
        (after.prepare('SELECT key, value FROM keyv').all() as { key: string; value: string }[]).map(
          (row) => [row.key, row.value],
        ),
      );
      for (const row of storedBefore as { key: string; value: string }[]) {
        if (!row.key.includes('stories:')) expect(stored.get(row.key)).toBe(row.value);
        else expect(stored.has(row.key)).toBe(true);
      }
      expect(
        after
          .prepare('SELECT id, story_id FROM dedup_entries WHERE id <= ? ORDER BY id')
          .all(entriesBefore.length),
      ).toEqual(entriesBefore);
      // Each key's list holds the entries its posting rows named, oldest first.
      const lists = new Map(
        (
          after.prepare('SELECT shingle, entries FROM dedup_lists').all() as {
            shingle: number;
            entries: Uint8Array;
          }[]
        ).map((row) => [row.shingle, unpackIds(row.entries)]),
      );
      const expected = new Map<number, number[]>();
      for (const { shingle, entry } of postingsBefore)
        expected.set(shingle, [...(expected.get(shingle) ?? []), entry]);
      for (const [shingle, entries] of expected)
        expect(lists.get(shingle)?.slice(0, entries.length)).toEqual(entries);
    } finally {
      after.close();
    }
    const backend = await createStoreBackend({ url: `sqlite://${file}` });
    try {
      expect((await buildStoryStore(backend).repository.listStories()).length).toBe(10);
    } finally {
      await backend.close();
    }
  });
});
