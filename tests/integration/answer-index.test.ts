// The answer index persists: a restart reads only what changed since, and a second instance
// on Redis catches up from the change log with its own local index file.
import { randomUUID } from 'node:crypto';
import { allCommands } from '../../commands/index.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { createLogger } from '../../src/logger.ts';
import { createHerald } from '../../src/app/herald.ts';
import { quietTransport } from '../support/quiet-transport.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'herald-answer-index-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const log = createLogger('silent');
const question = {
  question: 'How many members joined the Caldera port strike?',
  userId: 'u1',
  guildId: undefined,
  audience: 'operator' as const,
};

describe('the answer index on SQLite', () => {
  it('is kept in the store file: a restart re-indexes nothing and still answers', async () => {
    const config = loadConfig({ STORE_URL: `sqlite://${path.join(dir, 'herald.sqlite')}` });
    const first = await createHerald(config, { commands: allCommands, transport: quietTransport(), log });
    await first.services.ingest.ingestLocations([config.ingest.sampleNewsDir]);
    expect(await first.stories.catchUpIndex()).toBe(0);
    const before = await first.services.ask.ask(question);
    await first.close();

    const second = await createHerald(config, { commands: allCommands, transport: quietTransport(), log });
    try {
      expect(await second.stories.catchUpIndex()).toBe(0);
      const after = await second.services.ask.ask(question);
      expect(after.found).toBe(true);
      expect(after.citations[0]?.quote).toBe(before.citations[0]?.quote);
    } finally {
      await second.close();
    }
  });
});

const redisUrl = process.env.REDIS_URL;
describe.runIf(redisUrl)('the answer index with two instances on Redis', () => {
  it('catches up from the change log, re-indexing only the stories another instance changed', async () => {
    const keyPrefix = `test-${randomUUID()}`;
    const env = (name: string) =>
      loadConfig({ STORE_URL: redisUrl ?? '', ANSWER_INDEX_FILE: path.join(dir, `${name}.sqlite`) });
    const first = await createHerald(env('first'), {
      commands: allCommands,
      transport: quietTransport(),
      log,
      keyPrefix,
    });
    const second = await createHerald(env('second'), {
      commands: allCommands,
      transport: quietTransport(),
      log,
      keyPrefix,
    });
    try {
      const config = env('first');
      const report = await first.services.ingest.ingestLocations([config.ingest.sampleNewsDir]);
      const changed = new Set(report.changedStoryIds).size;
      expect(changed).toBeGreaterThan(0);
      // The second instance never saw the ingest: its local index learns of it from the log.
      expect(await second.stories.catchUpIndex()).toBe(changed);
      expect(await second.stories.catchUpIndex()).toBe(0);
      expect((await second.services.ask.ask(question)).found).toBe(true);
      // Restarted, it reads nothing again: its index file and cursor survive.
      await second.close();
      const again = await createHerald(env('second'), {
        commands: allCommands,
        transport: quietTransport(),
        log,
        keyPrefix,
      });
      try {
        expect(await again.stories.catchUpIndex()).toBe(0);
      } finally {
        await again.close();
      }
    } finally {
      await first.close();
      await second.close().catch(() => undefined);
    }
  });
});
