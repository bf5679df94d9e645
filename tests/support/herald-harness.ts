import { randomUUID } from 'node:crypto';
import { allCommands } from '../../commands/index.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createPacer, DISCORD_PACE_PER_SECOND } from '../../src/delivery/pacer.ts';
import { createDiscordBot, type DiscordBot } from '../../src/discord/client.ts';
import { connectDiscord, createDiscordTransport } from '../../src/discord/connect.ts';
import { createLogger, type Logger } from '../../src/logger.ts';
import { createHerald, type CreateHeraldOptions, type Herald } from '../../src/app/herald.ts';
import { startFakeDiscord, type FakeDiscord } from './fake-discord.ts';

export interface BotHarness {
  fake: FakeDiscord;
  herald: Herald;
  bot: DiscordBot;
  close(): Promise<void>;
}

export interface StartBotOptions {
  env?: Record<string, string>;
  sampleNews?: boolean;
  herald?: Omit<CreateHeraldOptions, 'transport' | 'commands'>;
  autoDeferMs?: number;
  /** Where the instance logs (silent by default, or TEST_LOG_LEVEL to stderr). */
  log?: Logger;
  /** Join a fake Discord another harness started (a second instance); left open on close. */
  fake?: FakeDiscord;
}

/**
 * Herald as it runs in production (the real discord.js Client, connected by the same
 * connectDiscord as `npm start`) against the local fake Discord, on an in-memory store with
 * the sample news unless told otherwise.
 */
export async function startBot(options: StartBotOptions = {}): Promise<BotHarness> {
  const fake = options.fake ?? (await startFakeDiscord({ heartbeatIntervalMs: 500 }));
  const config = loadConfig({ STORE_URL: 'memory://', LOG_LEVEL: 'silent', ...options.env });
  const log = options.log ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const bot = createDiscordBot({ token: fake.token, apiUrl: fake.restUrl, log });
  const transport = createDiscordTransport(bot, createPacer({ perSecond: DISCORD_PACE_PER_SECOND }));
  const herald = await createHerald(config, {
    commands: allCommands,
    log,
    transport,
    keyPrefix: `test-${randomUUID()}`,
    ...options.herald,
  });
  if (options.sampleNews !== false)
    await herald.services.ingest.ingestLocations([config.ingest.sampleNewsDir]);
  await connectDiscord(
    herald,
    bot,
    options.autoDeferMs !== undefined ? { autoDeferMs: options.autoDeferMs } : {},
  );
  return {
    fake,
    herald,
    bot,
    async close() {
      await bot.stop();
      await herald.close();
      if (options.fake === undefined) await fake.close();
    },
  };
}
