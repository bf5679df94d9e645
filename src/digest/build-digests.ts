/**
 * Builds the digest area on the store backend, for the composition root. Where digests go is
 * attached later, once it exists: the Discord client (`useDiscord`), REST alone for the command
 * line (`useDiscordRest`), or the terminal (`useTerminal`). The transport also decides which
 * digests this process schedules, so a terminal session never posts a Discord channel's digest
 * and the bot never tries to post to the terminal.
 */
import cron from 'node-cron';
import { Routes, type Client, type REST } from 'discord.js';
import type { Writable } from 'node:stream';
import type { BriefService } from '../brief/brief-service.ts';
import type { Taxonomy } from '../brief/topics/taxonomy.ts';
import type { HeraldConfig } from '../config/schema.ts';
import type { StoreBackend } from '../store/backend.ts';
import { createDigestComposer } from './composer.ts';
import { createDigestDelivery, type DigestDelivery } from './delivery.ts';
import { PostError, type ChannelPoster, type DigestLog, type GuildNotifier } from './delivery-ports.ts';
import {
  createChannelAccessChecker,
  createDiscordChannelPoster,
  createDiscordGuildNotifier,
  createWritableChannelFinder,
  guildNoticeCodec,
} from './discord-poster.ts';
import { createDigestService, type ChannelAccessChecker, type DigestService } from './digest-service.ts';
import { deliveryRecordSchema, digestConfigSchema, type DigestConfig } from './digest-types.ts';
import { createDigestScheduler, type CronScheduler, type DigestScheduler } from './scheduler.ts';
import { createAlwaysOkAccessChecker, createTerminalNotifier, createTerminalPoster, digestsForMode } from './terminal-poster.ts';

const CLAIM_TTL_MS = 10 * 60_000;

/** Switches where digests are posted; call one of these before starting the scheduler. */
export interface DigestTransport {
  /** The logged-in bot: posts over its REST, checks permissions in its cache. */
  useDiscord(client: Client): void;
  /** REST only (the command line with a token): no gateway cache, so setup is not offered. */
  useDiscordRest(rest: REST): void;
  /** The terminal mode: the terminal is the one channel. */
  useTerminal(output: Writable): void;
}

export interface BuiltDigests {
  service: DigestService;
  delivery: DigestDelivery;
  transport: DigestTransport;
  /** start() in startJobs (after a transport is attached), stop() in close(). */
  scheduler: DigestScheduler;
}

interface Transport {
  mode: 'discord' | 'terminal';
  poster: ChannelPoster;
  notifier: GuildNotifier;
  access: ChannelAccessChecker;
}

/** Candidate channels for a notice from REST alone: the system channel, then text channels by position. */
function restChannelFinder(rest: REST): (guildId: string) => Promise<string[]> {
  return async (guildId) => {
    const guild = (await rest.get(Routes.guild(guildId))) as { system_channel_id?: string | null };
    const channels = (await rest.get(Routes.guildChannels(guildId))) as { id: string; type: number; position?: number }[];
    const text = channels
      .filter((channel) => channel.type === 0 || channel.type === 5)
      .sort((a, b) => (a.position ?? 0) - (b.position ?? 0))
      .map((channel) => channel.id);
    const system = guild.system_channel_id;
    return system ? [system, ...text.filter((id) => id !== system)] : text;
  };
}

export function buildDigests(options: {
  config: HeraldConfig;
  backend: StoreBackend;
  brief: Pick<BriefService, 'top'>;
  taxonomy: Taxonomy;
  log: DigestLog;
  now: () => number;
  cron?: CronScheduler;
}): BuiltDigests {
  const { config, backend, log, now } = options;
  const stored = backend.records<DigestConfig>('digests', { version: 1, schema: digestConfigSchema });
  const notices = backend.records('guild-notices', guildNoticeCodec);
  let current: Transport | undefined;
  const transport = (): Transport => {
    if (!current) throw new PostError('server', 'no digest transport attached yet');
    return current;
  };

  // Listing follows the transport's mode; before one is attached every digest is listed.
  const scheduled = {
    get: stored.get.bind(stored),
    set: stored.set.bind(stored),
    delete: stored.delete.bind(stored),
    entries: () => (current ? digestsForMode(stored, current.mode).entries() : stored.entries()),
  };
  const delivery = createDigestDelivery({
    digests: scheduled,
    ledger: backend.records('digest-ledger', { version: 1, schema: deliveryRecordSchema }),
    claims: backend.claims,
    composer: createDigestComposer({ brief: options.brief, now, taxonomy: options.taxonomy }),
    poster: { post: (channelId, message, opts) => transport().poster.post(channelId, message, opts) },
    notifier: { notifyOnce: (guildId, key, text) => transport().notifier.notifyOnce(guildId, key, text) },
    log,
    now,
    graceMs: config.digest.graceMinutes * 60_000,
    claimTtlMs: CLAIM_TTL_MS,
    quietDay: config.digest.quietDay,
  });
  const service = createDigestService({
    digests: stored,
    delivery,
    access: { missingPermissions: (guildId, channelId) => transport().access.missingPermissions(guildId, channelId) },
    now,
    limits: { maxPerGuild: config.digest.maxPerGuild, defaultCount: config.digest.defaultCount },
    taxonomy: options.taxonomy,
  });
  const scheduler = createDigestScheduler({ delivery, cron: options.cron ?? cron, log });

  const discordNotifier = (rest: REST, find: (guildId: string) => Promise<string[]>): GuildNotifier =>
    createDiscordGuildNotifier({ rest, store: notices, findWritableChannel: find, log });
  return {
    service,
    delivery,
    scheduler,
    transport: {
      useDiscord(client) {
        current = {
          mode: 'discord',
          poster: createDiscordChannelPoster(client.rest),
          notifier: discordNotifier(client.rest, createWritableChannelFinder(client)),
          access: createChannelAccessChecker(client),
        };
      },
      useDiscordRest(rest) {
        current = {
          mode: 'discord',
          poster: createDiscordChannelPoster(rest),
          notifier: discordNotifier(rest, restChannelFinder(rest)),
          access: { missingPermissions: async () => ['a connection to Discord (run the bot to set up digests)'] },
        };
      },
      useTerminal(output) {
        current = {
          mode: 'terminal',
          poster: createTerminalPoster(output),
          notifier: createTerminalNotifier(output),
          access: createAlwaysOkAccessChecker(),
        };
      },
    },
  };
}
