// Near-duplicates are found through an index kept in the SQLite file: a new process matches
// against what earlier processes stored, and a store from before the index gets it on first use.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { createLogger } from '../../src/logger.ts';
import { createHerald } from '../../src/main.ts';
import { quietTransport } from '../support/quiet-transport.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'herald-dedup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const log = createLogger('silent');
const sample = (name: string) => readFileSync(path.join(import.meta.dirname, '../../config/sample-news', name), 'utf8');

/** The Valley Dispatch copy of the port strike story, re-edited by a third outlet. */
function thirdCopy(): string {
  const file = path.join(dir, 'harbour-herald--caldera-strike.txt');
  writeFileSync(file, sample('valley-dispatch--caldera-port-strike.txt').replace(/^.*\n/, 'Caldera port at a standstill as dockworkers strike\n'));
  return file;
}

describe('the dedup index in the SQLite file', () => {
  it('lets a new process merge a copy into the story an earlier process stored', async () => {
    const config = loadConfig({ STORE_URL: `sqlite://${path.join(dir, 'fresh.sqlite')}` });
    const first = await createHerald(config, { transport: quietTransport(), log });
    const stored = await first.news.job.ingestLocations([path.join(import.meta.dirname, '../../config/sample-news/coastline-courier--caldera-port-strike.txt')]);
    await first.close();
    const second = await createHerald(config, { transport: quietTransport(), log });
    try {
      const report = await second.news.job.ingestLocations([thirdCopy()]);
      expect(report.added).toEqual([]);
      expect(report.merged[0]?.storyId).toBe(stored.added[0]?.storyId);
    } finally {
      await second.close();
    }
  });

  it('is filled once from a store written before it existed', async () => {
    const file = path.join(dir, 'legacy.sqlite');
    writeFileSync(file, gunzipSync(readFileSync(path.join(import.meta.dirname, '../fixtures/legacy-store/herald-keyv-sqlite-4.0.8.sqlite.gz'))));
    const herald = await createHerald(loadConfig({ STORE_URL: `sqlite://${file}` }), { transport: quietTransport(), log });
    try {
      const report = await herald.news.job.ingestLocations([thirdCopy()]);
      expect(report.merged[0]?.storyId).toBe('s-244c9e3e4213980f');
      expect(await herald.services.ask.ask({ question: 'How many dockworkers joined the Caldera strike?', userId: 'u', guildId: undefined, audience: 'operator' })).toMatchObject({ found: true });
    } finally {
      await herald.close();
    }
  });
});
