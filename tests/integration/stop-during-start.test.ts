// A stop asked for while Herald is still starting (connecting, first ingest) must leave nothing
// scheduled behind the closed store: no cron task may outlive close().
import cron from 'node-cron';
import { allCommands } from '../../commands/index.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { createLogger } from '../../src/logger.ts';
import { createHerald, type Herald } from '../../src/app/herald.ts';
import { quietTransport } from '../support/quiet-transport.ts';

let herald: Herald | undefined;
afterEach(async () => {
  await herald?.close();
  herald = undefined;
});

const scheduled = () =>
  [...cron.getTasks().values()].filter((task) => task.getStatus() !== 'destroyed').length;

describe('closing while the jobs are still starting', () => {
  it('waits for the first ingest and schedules nothing after close', async () => {
    herald = await createHerald(loadConfig({ STORE_URL: 'memory://', LOG_LEVEL: 'silent' }), {
      commands: allCommands,
      log: createLogger('silent'),
      transport: quietTransport(),
    });
    const before = scheduled();
    const starting = herald.startJobs();
    await herald.close();
    await starting;
    expect(scheduled()).toBe(before);
  });

  it('schedules the jobs when nothing stops it, and close removes them', async () => {
    herald = await createHerald(loadConfig({ STORE_URL: 'memory://', LOG_LEVEL: 'silent' }), {
      commands: allCommands,
      log: createLogger('silent'),
      transport: quietTransport(),
    });
    const before = scheduled();
    await herald.startJobs();
    expect(scheduled()).toBeGreaterThan(before);
    await herald.close();
    herald = undefined;
    expect(scheduled()).toBe(before);
  });
});
