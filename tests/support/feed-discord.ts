// The /feed harness for end-to-end tests: the real discord.js Client logged into the local fake
// Discord, the real dispatcher and /feed handler, the feed service and delivery over a memory
// store, posting through the Discord adapter; stories arrive as the ingest's change
// notification delivers them.
import { feedCommand } from '../../commands/feed.ts';
import { createTaxonomy } from '../../src/brief/topics/taxonomy.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createDiscordBot } from '../../src/discord/client.ts';
import { createDispatcher } from '../../src/discord/dispatcher.ts';
import { createDiscordTransport } from '../../src/discord/connect.ts';
import { createPacer, DISCORD_PACE_PER_SECOND } from '../../src/delivery/pacer.ts';
import { buildFeeds } from '../../src/app/feeds.ts';
import { channelFeedCodec, type ChannelFeed } from '../../src/feeds/feed-types.ts';
import { createLogger } from '../../src/logger.ts';
import type { Services } from '../../src/interaction/services.ts';
import { createStoreBackend } from '../../src/store/backend.ts';
import { createStoryShelf, testNotifier } from './feed-stories.ts';
import { testCourier } from './test-courier.ts';
import {
  DEFAULT_BOT_PERMISSIONS,
  PERMISSIONS,
  startFakeDiscord,
  type CommandOptionInput,
  type FakeDiscord,
  type Json,
  type RecordedRequest,
} from './fake-discord.ts';
import { runSubcommand } from './fake-discord/subcommand-reply.ts';
import { waitFor } from './wait.ts';

export type Body = {
  type?: number;
  data?: Body;
  content?: string;
  flags?: number;
  embeds?: { title?: string; description?: string; fields?: { name: string; value: string }[] }[];
};

export const WITH_THREADS = DEFAULT_BOT_PERMISSIONS | PERMISSIONS.CreatePublicThreads;

/** Starts the fake Discord, the bot and the feeds; `close()` stops all three. */
export async function startFeedBot(
  options: {
    maxPostsPerRun?: number;
    botPermissions?: bigint;
    timeZoneOf?: (guildId: string, channelId: string) => Promise<string | undefined>;
  } = {},
) {
  const fake = await startFakeDiscord({
    heartbeatIntervalMs: 500,
    botPermissions: options.botPermissions ?? WITH_THREADS,
  });
  const discord = fake;
  const log = createLogger('silent');
  const now = Date.now;
  const loaded = loadConfig({ STORE_URL: 'memory://', LOG_LEVEL: 'silent' });
  const config = {
    ...loaded,
    feeds: { ...loaded.feeds, maxPostsPerRun: options.maxPostsPerRun ?? loaded.feeds.maxPostsPerRun },
  };
  const backend = await createStoreBackend({ url: 'memory://', now });
  const shelf = createStoryShelf(now);
  const taxonomy = createTaxonomy({
    version: 1,
    sections: [
      { key: 'science', name: 'Science', description: 'Science', terms: ['study'] },
      { key: 'business', name: 'Business', description: 'Business', terms: ['market'] },
    ],
  });
  const sources = {
    forGuild: async () =>
      ['Example News', 'Other Wire'].map((name) => ({
        key: name,
        config: { name, url: 'https://x.example/feed', weight: 1, featured: false, topics: [] },
      })),
  };
  // Surface first, as the composition root builds it.
  const bot = createDiscordBot({ token: discord.token, apiUrl: discord.restUrl, log });
  const transport = createDiscordTransport(bot, createPacer({ perSecond: DISCORD_PACE_PER_SECOND }));
  const feeds = buildFeeds({
    config,
    backend,
    transport,
    courier: testCourier(backend, transport.sink, { now }),
    notifier: testNotifier(backend, transport, now),
    stories: shelf,
    brief: shelf,
    taxonomy,
    sources,
    log,
    now,
    ...(options.timeZoneOf ? { timeZoneOf: options.timeZoneOf } : {}),
  });
  // Only what /feed reads; the rest of Services belongs to other areas.
  const services = {
    feeds: feeds.service,
    taxonomy,
    sources,
    brief: { ranked: async () => [] },
    now,
    log,
  } as unknown as Services;
  const dispatcher = createDispatcher({ commands: [feedCommand], services, log });
  await bot.start((interaction) => dispatcher.handle(interaction), { instanceId: 'feed-test' });
  const stored = backend.records<ChannelFeed>('channel-feeds', channelFeedCodec);
  const client = bot.clientFor(discord.guildId);
  if (client === undefined) throw new Error("the guild's shard is not running");
  /** Adds a channel and waits until the client's cache has it (CHANNEL_CREATE). */
  const addChannel = async (type: number, name: string, extra: Json = {}): Promise<string> => {
    const id = discord.addChannel(type, name, extra);
    await waitFor(() => client.channels.cache.has(id), { what: `channel ${name} in the cache` });
    return id;
  };
  const allFeeds = async (): Promise<ChannelFeed[]> => {
    const list: ChannelFeed[] = [];
    for await (const [, feed] of stored.entries()) list.push(feed);
    return list;
  };
  const close = async (): Promise<void> => {
    await bot.stop();
    await discord.close();
    await backend.close();
  };
  return { fake: discord, feeds: feeds.service, shelf, addChannel, allFeeds, store: stored, client, close };
}

export async function run(
  discord: FakeDiscord,
  subcommand: string,
  options: CommandOptionInput[] = [],
  memberPermissions?: bigint,
): Promise<Body> {
  const { reply, interactionId } = await runSubcommand(
    discord,
    'feed',
    subcommand,
    options,
    memberPermissions,
  );
  // A deferred reply is made ephemeral by the defer; the edit that follows carries no flags.
  const deferred = discord.callbackFor(interactionId)?.body as Body | undefined;
  return { ...reply, flags: (reply.flags ?? 0) | (deferred?.type === 5 ? (deferred.data?.flags ?? 0) : 0) };
}

export const channel = (id: string): CommandOptionInput => ({ name: 'channel', type: 7, value: id });
export const text = (name: string, value: string): CommandOptionInput => ({ name, type: 3, value });
export const posts = (discord: FakeDiscord, channelId: string): RecordedRequest[] =>
  discord.requests.filter(
    (r) =>
      r.method === 'POST' && r.path === `/channels/${channelId}/messages` && !r.injected && r.status === 200,
  );
export const botMessages = (discord: FakeDiscord, channelId: string): Json[] =>
  discord
    .messagesIn(channelId)
    .filter(
      (message) =>
        (message.author as Json).id === discord.botUserId && message.interaction_metadata === undefined,
    );
