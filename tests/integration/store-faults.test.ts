// Reading never needs to write: with the disk full or the store read-only, /brief, /story and
// /ask answer from what is stored and say plainly that new items cannot be saved. A store
// that stops answering fails each call with one clear line instead of hanging.
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { allCommands } from '../../commands/index.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createLogger } from '../../src/logger.ts';
import { createHerald, type Herald } from '../../src/app/herald.ts';
import { createStatusService } from '../../src/status/status-service.ts';
import { createStoreBackend } from '../../src/store/backend.ts';
import {
  retryWithBackoff,
  StoreUnavailableError,
  withStoreTimeouts,
  type StoreHealth,
} from '../../src/store/timeouts.ts';
import { createTerminal } from '../../src/terminal/terminal.ts';
import { createFaultyStore } from '../support/faulty-store.ts';
import { quietTransport } from '../support/quiet-transport.ts';

let herald: Herald | undefined;
afterEach(async () => {
  await herald?.close();
  herald = undefined;
});

function terminalOf(h: Herald): { run(line: string): Promise<string> } {
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const terminal = createTerminal({
    commands: allCommands,
    services: h.services,
    input: new PassThrough(),
    output,
    interactive: false,
  });
  return {
    async run(line) {
      text = '';
      await terminal.runLine(line);
      return text;
    },
  };
}

describe.each(['SQLITE_FULL', 'SQLITE_READONLY'] as const)('a store that refuses writes (%s)', (code) => {
  it('still answers /brief, /story and /ask from what is stored, and says new items cannot be saved', async () => {
    const faults = createFaultyStore();
    const config = loadConfig({ STORE_URL: 'memory://' });
    herald = await createHerald(config, {
      commands: allCommands,
      log: createLogger('silent'),
      transport: quietTransport(),
      wrapStore: (backend) => faults.wrap(backend),
    });
    const stored = await herald.services.ingest.ingestLocations([config.ingest.sampleNewsDir]);
    expect(stored.added.length).toBeGreaterThan(3);
    faults.refuseWrites(code);

    const chat = terminalOf(herald);
    const brief = await chat.run('/brief count:3');
    expect(brief).toMatch(/Top 3 stories now/);
    expect(brief).toContain('cannot save new items');
    expect(brief).not.toMatch(/went wrong/);
    expect(faults.refused).toBeGreaterThan(0);

    const storyId = stored.added.find((item) => /Ostlund/.test(item.title))?.storyId as string;
    const story = await chat.run(`/story story:${storyId}`);
    expect(story).toContain('Ostlund');
    expect(story).not.toMatch(/went wrong/);
    const answer = await chat.run('/ask question:How much is Brightwater paying for Ostlund Dairy?');
    expect(answer).toContain('2.1 billion');
    expect(answer).toContain('cannot save new items');

    const status = await herald.services.status.snapshot();
    expect(status.store.problem).toMatch(/^refusing writes since /);
    expect(status.stories).toBe(stored.added.length);
  });
});

describe('a store that stops answering', () => {
  it('fails each call with one clear line, reports it, and recovers when the store answers again', async () => {
    const faults = createFaultyStore();
    const changes: StoreHealth[] = [];
    const backend = withStoreTimeouts(faults.wrap(await createStoreBackend({ url: 'memory://' })), {
      timeoutMs: 50,
      onChange: (health) => changes.push(health),
    });
    const stories = backend.records('stories', { version: 1, schema: (await import('zod')).z.string() });
    await stories.set('s1', 'stored before the pause');
    const status = createStatusService({
      startedAt: 0,
      now: () => 0,
      store: { kind: backend.kind, location: backend.location },
      storeHealth: () => backend.health(),
      model: () => ({ mode: 'extractive', calls: 0, failures: 0, promptTokens: 0, completionTokens: 0 }),
      countSources: async () => 1,
      countStories: async () => {
        let count = 0;
        for await (const _entry of stories.entries()) count++;
        return count;
      },
      summaries: async () => ({ cached: 0, hits: 0, misses: 0 }),
      lastIngest: async () => undefined,
    });
    expect((await status.snapshot()).stories).toBe(1);

    faults.pause();
    await expect(stories.get('s1')).rejects.toThrowError(StoreUnavailableError);
    await expect(stories.get('s1')).rejects.toThrowError(
      /^the memory store at memory is not answering \(reading stories took over 0\.1 s\); try again shortly$/,
    );
    expect(backend.health()).toMatchObject({ answering: false, writable: true });
    expect(changes.map((h) => h.answering)).toEqual([false]);
    // /status still answers, with the counts it last had and the problem named.
    const during = await status.snapshot();
    expect(during.stories).toBe(1);
    expect(during.store.problem).toMatch(
      /^not answering, retrying since .*; counts are from its last answer$/,
    );
    expect(status.storeNotice?.()).toMatch(/not answering/);

    faults.resume();
    expect(await stories.get('s1')).toBe('stored before the pause');
    expect(backend.health()).toEqual({ answering: true, writable: true });
    expect(changes.map((h) => h.answering)).toEqual([false, true]);
    await backend.close();
  });

  it('lets the bot wait for its store with growing pauses, logging each retry', async () => {
    const waits: number[] = [];
    const logged: number[] = [];
    let attempts = 0;
    const opened = await retryWithBackoff(
      async () => {
        attempts++;
        if (attempts < 5)
          throw new StoreUnavailableError('cannot reach Redis at 127.0.0.1:1 (no answer within 4 s)');
        return 'store';
      },
      { onRetry: (attempt) => logged.push(attempt), sleep: async (ms) => void waits.push(ms) },
    );
    expect(opened).toBe('store');
    expect(logged).toEqual([1, 2, 3, 4]);
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000]);
    await expect(
      retryWithBackoff(async () => Promise.reject(new Error('corrupt file')), {
        onRetry: () => {},
        sleep: async () => {},
      }),
    ).rejects.toThrowError('corrupt file');
  });
});
