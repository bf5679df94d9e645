// The bundled sample news as a first-time user meets it in the terminal: a why-question about
// the port strike is answered with the cause the story states, and one the stories give no
// cause for is declined.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allCommands } from '../../commands/index.ts';
import { createHerald } from '../../src/app/herald.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createLogger } from '../../src/logger.ts';
import { quietTransport } from '../support/quiet-transport.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'herald-ask-sample-'));
let herald: Awaited<ReturnType<typeof createHerald>>;
const ask = (question: string) =>
  herald.services.ask.ask({ question, userId: 'u1', guildId: undefined, audience: 'operator' });

beforeAll(async () => {
  const config = loadConfig({ STORE_URL: `sqlite://${path.join(dir, 'herald.sqlite')}` });
  herald = await createHerald(config, {
    commands: allCommands,
    transport: quietTransport(),
    log: createLogger('silent'),
  });
  await herald.services.ingest.ingestLocations([config.ingest.sampleNewsDir]);
});
afterAll(async () => {
  await herald.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('why-questions on the sample news', () => {
  it('answers why the port strike happened with the stated cause, not its consequences', async () => {
    const answer = await ask('Why did the port strike happen?');
    expect(answer.found).toBe(true);
    expect(answer.citations).toHaveLength(1);
    expect(answer.citations[0]?.quote).toContain('in protest at plans to automate');
  });

  it('declines why shipping lines diverted vessels: no sentence states a cause for it', async () => {
    const answer = await ask('Why did shipping lines divert vessels?');
    expect(answer.found).toBe(false);
  });
});
