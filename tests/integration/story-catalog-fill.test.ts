// A store whose answer index was built before the story catalog existed: the first catch-up
// fills the catalog from the stored stories once, so /status, /brief and autocomplete see them
// all without re-indexing anything.
import { mkdtempSync, rmSync } from 'node:fs';
import { allCommands } from '../../commands/index.ts';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { createLogger } from '../../src/logger.ts';
import { createHerald } from '../../src/app/herald.ts';
import { quietTransport } from '../support/quiet-transport.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'herald-catalog-fill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const log = createLogger('silent');

describe('the story catalog on a store indexed before it existed', () => {
  it('is filled from the store once, and answers like the index it joins', async () => {
    const file = path.join(dir, 'herald.sqlite');
    const config = loadConfig({ STORE_URL: `sqlite://${file}`, LOG_LEVEL: 'silent' });
    const first = await createHerald(config, { commands: allCommands, transport: quietTransport(), log });
    await first.services.ingest.ingestLocations([config.ingest.sampleNewsDir]);
    const stories = (await first.services.status.snapshot()).stories;
    const titles = (
      await first.services.brief.top({ audience: 'operator', count: 3, includeBacklog: true })
    ).map((item) => item.story.title);
    expect(stories).toBeGreaterThan(5);
    await first.close();

    // What the previous version left: the answer index with its cursor, and no catalog.
    const db = new DatabaseSync(file);
    db.exec('DROP TABLE ix_stories; DROP TABLE ix_catalog_meta;');
    db.close();

    const second = await createHerald(config, { commands: allCommands, transport: quietTransport(), log });
    try {
      expect((await second.services.status.snapshot()).stories).toBe(stories);
      expect(
        (await second.services.brief.top({ audience: 'operator', count: 3, includeBacklog: true })).map(
          (item) => item.story.title,
        ),
      ).toEqual(titles);
      const word = titles[0]?.split(' ')[0] ?? '';
      expect(
        (await second.services.brief.findByTitle(word, 5, 'operator')).map((story) => story.title),
      ).toContain(titles[0]);
      // Nothing was re-indexed: the answer index's cursor stood.
      expect(await second.stories.catchUpIndex()).toBe(0);
    } finally {
      await second.close();
    }
  });
});
