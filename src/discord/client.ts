import { Client, Events, RESTEvents, GatewayIntentBits, Options, REST, type Interaction } from 'discord.js';
import type { RedisClientType } from '@keyv/redis';
import type { Logger } from '../logger.ts';
import type { ShardState, ShardStatusProvider } from '../status/shard-status.ts';
import { NO_MENTIONS } from './mentions.ts';
import { fetchGatewayInfo } from './shards/gateway-info.ts';
import {
  DISCORD_IDENTIFY_INTERVAL_MS,
  createIdentifyThrottle,
  createLocalIdentifySlots,
  createRedisIdentifySlots,
} from './shards/identify-throttle.ts';
import {
  createShardCoordinator,
  type ShardCoordinator,
  type ShardSetting,
} from './shards/shard-coordinator.ts';
import { createLocalShardLeases, createRedisShardLeases } from './shards/shard-leases.ts';
import { createShardPool } from './shards/shard-pool.ts';

/** Discord's default wait before a shard's lease lapses (renewed every third of it). */
export const DEFAULT_SHARD_LEASE_MS = 30_000;

export interface DiscordBotOptions {
  token: string;
  /** Base of the REST API, e.g. a local fake's http://127.0.0.1:port/api; Discord's by default. */
  apiUrl?: string;
  log: Logger;
  /** Told of every 429 Discord answers (discord.js waits them out itself), for /metrics. */
  onRateLimited?: () => void;
  /** DISCORD_SHARDS: Discord's recommended count (default) or a fixed one. */
  shards?: ShardSetting;
  /** How long a shard lease lasts without renewal (instances on Redis); default 30 s. */
  shardLeaseMs?: number;
  /** Discord's 5 s between identifies per bucket; only a local fake plays a shorter one. */
  identifyIntervalMs?: number;
}

/** Where the shards of several instances are coordinated; absent: this instance runs them all. */
export interface ShardCoordination {
  redis?: { client: RedisClientType; prefix: string };
  instanceId: string;
}

export interface DiscordBot extends ShardStatusProvider {
  /** Herald's own posts go over this REST, whichever shard a guild is on. */
  readonly rest: REST;
  /** The gateway client of the shard holding `guildId`, when this instance runs that shard. */
  clientFor(guildId: string): Client | undefined;
  /** The clients of the shards this instance runs. */
  clients(): Client[];
  /** Takes this instance's shards with interactions going to `onInteraction`; resolves once they are ready. */
  start(
    onInteraction: (interaction: Interaction) => Promise<void>,
    coordination: ShardCoordination,
  ): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Herald on Discord's gateway, with Herald's safety defaults on every shard's client: allowed
 * mentions none for every message (article text is untrusted), only the Guilds intent, small
 * caches. Built before Herald's services (its REST and caches are the delivery transport),
 * started after.
 */
export function createDiscordBot(options: DiscordBotOptions): DiscordBot {
  const { log } = options;
  const restOptions = options.apiUrl ? { api: options.apiUrl } : {};
  const rest = new REST(restOptions).setToken(options.token);
  const countRateLimits = (target: REST): void => {
    const { onRateLimited } = options;
    if (onRateLimited)
      target.on(RESTEvents.Response, (_request, response) => {
        if (response.status === 429) onRateLimited();
      });
  };
  countRateLimits(rest);
  const identifyIntervalMs = options.identifyIntervalMs ?? DISCORD_IDENTIFY_INTERVAL_MS;
  let onInteraction: ((interaction: Interaction) => Promise<void>) | undefined;
  let identifySlots = createLocalIdentifySlots();
  let maxConcurrency = 1;

  const pool = createShardPool({
    token: options.token,
    log,
    makeClient(shardId, shardCount) {
      const client = new Client({
        intents: [GatewayIntentBits.Guilds],
        allowedMentions: NO_MENTIONS,
        makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0 }),
        shards: [shardId],
        shardCount,
        rest: restOptions,
        ws: {
          buildIdentifyThrottler: () =>
            createIdentifyThrottle({ maxConcurrency, intervalMs: identifyIntervalMs, slots: identifySlots }),
        },
      });
      countRateLimits(client.rest);
      client.on(Events.Error, (error) => log.error({ err: error, shardId }, 'discord client error'));
      client.on(Events.ShardResume, () => log.info({ shardId }, 'gateway resumed'));
      client.on(Events.InteractionCreate, (interaction) => {
        void onInteraction?.(interaction);
      });
      return client;
    },
  });
  let coordinator: ShardCoordinator | undefined;

  return {
    rest,
    clientFor: (guildId) => pool.clientFor(guildId),
    clients: () => pool.clients(),
    shards: (): ShardState[] => pool.shards(),
    async start(handler, coordination) {
      onInteraction = handler;
      const { redis } = coordination;
      const leaseMs = options.shardLeaseMs ?? DEFAULT_SHARD_LEASE_MS;
      if (redis) identifySlots = createRedisIdentifySlots(redis.client, redis.prefix);
      coordinator = createShardCoordinator({
        setting: options.shards ?? 'auto',
        leases: redis
          ? createRedisShardLeases({ ...redis, instanceId: coordination.instanceId, leaseMs })
          : createLocalShardLeases(),
        pool,
        gateway: async () => {
          const info = await fetchGatewayInfo(rest);
          maxConcurrency = info.maxConcurrency;
          return info;
        },
        renewMs: Math.max(1, Math.floor(leaseMs / 3)),
        log,
      });
      await coordinator.start();
      const shards = pool.shards();
      log.info(
        {
          shards: shards.map((shard) => shard.id),
          guilds: shards.reduce((sum, shard) => sum + shard.guilds, 0),
        },
        'connected to Discord',
      );
    },
    async stop() {
      if (coordinator) await coordinator.stop();
      else await pool.stopAll();
    },
  };
}
