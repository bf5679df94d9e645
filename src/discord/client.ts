import { Client, Events, RESTEvents, GatewayIntentBits, Options, type Interaction } from 'discord.js';
import type { Logger } from '../logger.ts';
import { NO_MENTIONS } from './mentions.ts';

export interface DiscordBotOptions {
  token: string;
  /** Base of the REST API, e.g. a local fake's http://127.0.0.1:port/api; Discord's by default. */
  apiUrl?: string;
  log: Logger;
  /** Told of every 429 Discord answers (discord.js waits them out itself), for /metrics. */
  onRateLimited?: () => void;
}

export interface DiscordBot {
  readonly client: Client;
  /** Logs in with interactions going to `onInteraction`; resolves once the client is ready. */
  start(onInteraction: (interaction: Interaction) => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The discord.js client with Herald's safety defaults: allowed mentions none for every
 * message it sends (article text is untrusted), only the Guilds intent, small caches. Built
 * before Herald's services (its REST and cache are the delivery transport), started after.
 */
export function createDiscordBot(options: DiscordBotOptions): DiscordBot {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: NO_MENTIONS,
    makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0 }),
    ...(options.apiUrl ? { rest: { api: options.apiUrl } } : {}),
  });
  const { onRateLimited } = options;
  if (onRateLimited)
    client.rest.on(RESTEvents.Response, (_request, response) => {
      if (response.status === 429) onRateLimited();
    });
  client.on(Events.Error, (error) => options.log.error({ err: error }, 'discord client error'));
  client.on(Events.ShardResume, (shardId) => options.log.info({ shardId }, 'gateway resumed'));

  return {
    client,
    async start(onInteraction) {
      client.on(Events.InteractionCreate, (interaction) => {
        void onInteraction(interaction);
      });
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(options.token);
      await ready;
      options.log.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'connected to Discord');
    },
    async stop() {
      await client.destroy();
    },
  };
}
