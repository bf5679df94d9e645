// Several instances on one Redis: each keeps the near-duplicate index in its own local file and
// catches it up from the change log, so a copy of a story another instance stored is merged,
// not stored twice, and an ingest after a restart never reads the whole store again.
import { randomUUID } from 'node:crypto';
import { allCommands } from '../../commands/index.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { createLogger } from '../../src/logger.ts';
import { createHerald, type Herald } from '../../src/app/herald.ts';
import type { StoreBackend } from '../../src/store/backend.ts';
import { quietTransport } from '../support/quiet-transport.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'herald-dedup-replica-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const log = createLogger('silent');
const redisUrl = process.env.REDIS_URL;

const STRIKE = [
  'Dockworkers at the port of Marlow walked off the job on Wednesday in protest at plans to automate two of the five container terminals, halting almost all container traffic through the harbour.',
  'The union said about 4,000 members had joined the strike and that pickets would stay at the gates until the port authority withdrew the plan or agreed to guarantee every job for ten years.',
  'The port authority said automation was needed to keep Marlow competitive with larger harbours along the coast, and that no worker would be dismissed before the end of the decade.',
  'Shipping lines began diverting vessels to the southern ports on Thursday morning, and exporters of fruit and timber warned that goods would spoil if the stoppage lasted into next week.',
];
const LIBRARY = [
  'The city library in Ostrel reopened on Saturday after a four-year restoration that repaired its painted ceilings, replaced its wiring and added a climate-controlled room for old maps.',
  'Visitors queued around the square before the doors opened, and the first hundred received a facsimile of the oldest map in the collection, drawn by a local surveyor in the 1700s.',
  'The restoration cost less than planned because volunteers catalogued the collection while the building was closed, the head librarian said at the opening ceremony.',
];

/** A pasted-article file: headline, blank line, paragraphs. */
function articleFile(name: string, title: string, paragraphs: string[]): string {
  const file = path.join(dir, `${name}-${randomUUID()}.txt`);
  writeFileSync(file, `${title}\n\n${paragraphs.join('\n\n')}\n`);
  return file;
}

/** Counts the walks over every stored story: what an ingest must not do on a large store. */
function countingListings(counter: { listings: number }) {
  return (backend: StoreBackend): StoreBackend => ({
    ...backend,
    records(namespace, codec) {
      const store = backend.records(namespace, codec);
      if (namespace !== 'stories') return store;
      return {
        get: (key) => store.get(key),
        set: (key, value, ttl) => store.set(key, value, ttl),
        delete: (key) => store.delete(key),
        entries: () => {
          counter.listings += 1;
          return store.entries();
        },
      };
    },
  });
}

describe.runIf(redisUrl)('the dedup index with two instances on Redis', () => {
  it('merges a copy of a story the other instance stored, and reads only the change log after a restart', async () => {
    const keyPrefix = `test-${randomUUID()}`;
    const config = (name: string) =>
      loadConfig({
        STORE_URL: redisUrl ?? '',
        ANSWER_INDEX_FILE: path.join(dir, `${name}.sqlite`),
        LOG_LEVEL: 'silent',
      });
    const open = (name: string, counter = { listings: 0 }): Promise<Herald> =>
      createHerald(config(name), {
        commands: allCommands,
        transport: quietTransport(),
        log,
        keyPrefix,
        wrapStore: countingListings(counter),
      });
    const first = await open('first');
    let second = await open('second');
    try {
      const original = await first.services.ingest.ingestLocations([
        articleFile('wire', 'Marlow dockworkers strike over automation', STRIKE),
      ]);
      expect(original.added).toHaveLength(1);
      const storyId = original.added[0]!.storyId;

      // The second instance has never read the store; its first ingest builds its file from it.
      const copy = [
        ...STRIKE.slice(0, 3),
        'Exporters warned that fruit and timber would spoil if the stoppage lasted into next week.',
      ];
      const syndicated = await second.services.ingest.ingestLocations([
        articleFile('paper', 'Port of Marlow halted as dockworkers strike', copy),
      ]);
      expect(syndicated.added).toEqual([]);
      expect(syndicated.merged.map((item) => item.storyId)).toEqual([storyId]);

      // Restarted, the second instance reads what changed since (the first one's new story)
      // from the log: no walk over the stored stories, and the new story is matched too.
      await second.close();
      const counter = { listings: 0 };
      second = await open('second', counter);
      const library = await first.services.ingest.ingestLocations([
        articleFile('wire', 'Ostrel library reopens', LIBRARY),
      ]);
      const again = await second.services.ingest.ingestLocations([
        // Copies with a line of their own: matched by the index, not by an identical text.
        articleFile('paper', 'Ostrel library reopens after restoration', [
          ...LIBRARY,
          'Opening hours are posted on the library website.',
        ]),
        articleFile('paper', 'Marlow strike: shipping lines divert vessels', [
          ...STRIKE,
          'Talks are due to resume on Monday, the union said.',
        ]),
      ]);
      expect(again.added).toEqual([]);
      expect(again.merged.map((item) => item.storyId).sort()).toEqual(
        [library.added[0]!.storyId, storyId].sort(),
      );
      expect(counter.listings).toBe(0);
      expect(await second.services.status.snapshot().then((s) => s.stories)).toBe(2);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
