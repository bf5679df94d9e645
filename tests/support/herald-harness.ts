import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../src/config/load.ts';
import { createDispatcher } from '../../src/discord/dispatcher.ts';
import { createDiscordBot, type DiscordBot } from '../../src/discord/client.ts';
import type { Herald } from '../../src/herald.ts';
import { createLogger } from '../../src/logger.ts';
import { createHerald, type CreateHeraldOptions } from '../../src/main.ts';
import { createDiscordDirectMessenger } from '../../src/subscriptions/direct-messenger.ts';
import { startFakeDiscord, type FakeDiscord } from './fake-discord.ts';

export interface BotHarness {
  fake: FakeDiscord;
  herald: Herald;
  bot: DiscordBot;
  close(): Promise<void>;
}

/**
 * Herald as it runs in production (the real discord.js Client, the real dispatcher and
 * services) against the local fake Discord, on an in-memory store with the sample news.
 */
export async function startBot(options: { env?: Record<string, string>; sampleNews?: boolean; herald?: CreateHeraldOptions; autoDeferMs?: number } = {}): Promise<BotHarness> {
  const fake = await startFakeDiscord({ heartbeatIntervalMs: 500 });
  const config = loadConfig({ STORE_URL: 'memory://', LOG_LEVEL: 'silent', ...options.env });
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const herald = await createHerald(config, { log, keyPrefix: `test-${randomUUID()}`, ...options.herald });
  if (options.sampleNews !== false) await herald.news.job.ingestLocations([config.ingest.sampleNewsDir]);
  const dispatcher = createDispatcher({ commands: herald.commands, services: herald.services, log, ...(options.autoDeferMs ? { autoDeferMs: options.autoDeferMs } : {}) });
  const bot = createDiscordBot({ token: fake.token, apiUrl: fake.restUrl, log, onInteraction: (interaction) => dispatcher.handle(interaction) });
  await bot.start();
  herald.subscriptions.messenger.use(createDiscordDirectMessenger(bot.client.rest));
  herald.digests.transport.useDiscord(bot.client);
  return {
    fake,
    herald,
    bot,
    async close() {
      await bot.stop();
      await herald.close();
      await fake.close();
    },
  };
}
