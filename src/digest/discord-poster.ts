/**
 * The digest engine's Discord side: posting a message over discord.js REST (nonce enforced,
 * mentions off, failures classified), telling a guild once that its digest stopped, and
 * checking Herald's own permissions in a channel before a digest is saved there.
 */
import { createHash } from 'node:crypto';
import {
  ChannelType,
  DiscordAPIError,
  HTTPError,
  PermissionFlagsBits,
  RateLimitError,
  Routes,
  type Client,
  type REST,
} from 'discord.js';
import type { APIMessage } from 'discord-api-types/v10';
import { z } from 'zod';
import { describeError } from '../errors.ts';
import { NO_MENTIONS } from '../discord/render.ts';
import type { RecordCodec } from '../store/record-store.ts';
import type { RecordStore } from '../store/types.ts';
import {
  classifyDiscordError,
  PostError,
  type ChannelPoster,
  type DigestLog,
  type GuildNotifier,
  type OutgoingMessage,
} from './delivery-ports.ts';
import { CHANNEL_DOES_NOT_EXIST, type ChannelAccessChecker } from './digest-service.ts';

/** Maps whatever discord.js REST threw to the engine's PostError. */
export function toPostError(error: unknown): PostError {
  if (error instanceof PostError) return error;
  if (error instanceof DiscordAPIError) {
    const code = typeof error.code === 'number' ? error.code : Number(error.code) || undefined;
    return classifyDiscordError({ status: error.status, ...(code === undefined ? {} : { code }), message: error.message, cause: error });
  }
  if (error instanceof RateLimitError) {
    return classifyDiscordError({ status: 429, retryAfterMs: error.retryAfter, message: error.message, cause: error });
  }
  if (error instanceof HTTPError) return classifyDiscordError({ status: error.status, message: error.message, cause: error });
  // No HTTP status at all: a network failure or timeout. The nonce makes a retry safe.
  return classifyDiscordError({ message: describeError(error), cause: error });
}

function messageBody(message: OutgoingMessage, nonce: string): Record<string, unknown> {
  return {
    ...(message.content === undefined ? {} : { content: message.content }),
    ...(message.embeds === undefined ? {} : { embeds: message.embeds }),
    nonce,
    enforce_nonce: true,
    allowed_mentions: { parse: [...NO_MENTIONS.parse] },
  };
}

/**
 * Posts through discord.js REST. 429s are waited out inside REST (unless it was built with
 * rejectOnRateLimit, then they surface as 'rate-limited'); 5xx come back as 'server'.
 */
export function createDiscordChannelPoster(rest: REST): ChannelPoster {
  return {
    async post(channelId, message, { nonce }) {
      try {
        const sent = (await rest.post(Routes.channelMessages(channelId), { body: messageBody(message, nonce) })) as APIMessage;
        return { messageId: sent.id };
      } catch (error) {
        throw toPostError(error);
      }
    },
  };
}

const guildNoticeSchema = z.object({
  v: z.literal(1),
  guildId: z.string(),
  key: z.string(),
  channelId: z.string(),
  messageId: z.string(),
  at: z.string(),
});

/** A notice already given to a guild, so it is never given twice. */
export type GuildNotice = z.infer<typeof guildNoticeSchema>;

/** Codec for the `guild-notices` namespace: `backend.records('guild-notices', guildNoticeCodec)`. */
export const guildNoticeCodec: RecordCodec<GuildNotice> = { version: 1, schema: guildNoticeSchema };

export interface GuildNotifierDeps {
  rest: REST;
  store: RecordStore<GuildNotice>;
  /**
   * Channels to try, best first (the system channel, then text channels where Herald can write).
   * Each is tried until one takes the message.
   */
  findWritableChannel(guildId: string): Promise<string[]> | string[];
  log?: DigestLog;
}

const MAX_NOTICE_CHANNELS = 3;

/**
 * Tells a guild something once per key. The record is written after the post; the nonce
 * (derived from the key) keeps two instances racing on the same notice from posting it twice.
 */
export function createDiscordGuildNotifier(deps: GuildNotifierDeps): GuildNotifier {
  const poster = createDiscordChannelPoster(deps.rest);
  return {
    async notifyOnce(guildId, key, text) {
      const recordKey = `${guildId}:${key}`;
      if (await deps.store.get(recordKey)) return;
      const nonce = createHash('sha256').update(`herald-notice\n${recordKey}`).digest('base64url').slice(0, 25);
      const candidates = (await deps.findWritableChannel(guildId)).slice(0, MAX_NOTICE_CHANNELS);
      for (const channelId of candidates) {
        try {
          const { messageId } = await poster.post(channelId, { content: text }, { nonce });
          const at = new Date().toISOString();
          await deps.store.set(recordKey, { v: 1, guildId, key, channelId, messageId, at });
          return;
        } catch (error) {
          deps.log?.warn({ guildId, channelId, err: describeError(error) }, 'guild notice not posted here; trying the next channel');
        }
      }
      throw new Error(`no channel in guild ${guildId} took the notice (${candidates.length} tried)`);
    },
  };
}

const NEEDED = [
  ['View Channel', PermissionFlagsBits.ViewChannel],
  ['Send Messages', PermissionFlagsBits.SendMessages],
  ['Embed Links', PermissionFlagsBits.EmbedLinks],
] as const;

const POSTABLE_TYPES: ReadonlySet<ChannelType> = new Set([ChannelType.GuildText, ChannelType.GuildAnnouncement]);

/** Herald's permissions in a guild channel from the client's cache (Guilds intent keeps it current). */
export function createChannelAccessChecker(client: Client): ChannelAccessChecker {
  return {
    async missingPermissions(guildId, channelId) {
      const guild = client.guilds.cache.get(guildId);
      const channel = guild?.channels.cache.get(channelId);
      if (!guild || !channel || client.user === null) return [CHANNEL_DOES_NOT_EXIST];
      if (!POSTABLE_TYPES.has(channel.type)) return ['a text or announcement channel (this one is not)'];
      const permissions = channel.permissionsFor(client.user);
      if (permissions === null) return NEEDED.map(([name]) => name);
      return NEEDED.filter(([, flag]) => !permissions.has(flag)).map(([name]) => name);
    },
  };
}

/**
 * Where to tell a guild about a paused digest, from the client's cache: the system channel if
 * Herald may post there, then the other text channels where it may, in their sidebar order.
 */
export function createWritableChannelFinder(client: Client): (guildId: string) => Promise<string[]> {
  const access = createChannelAccessChecker(client);
  return async (guildId) => {
    const guild = client.guilds.cache.get(guildId);
    if (!guild) return [];
    const channels = [...guild.channels.cache.values()]
      .filter((channel) => POSTABLE_TYPES.has(channel.type))
      .sort((a, b) => ('rawPosition' in a && 'rawPosition' in b ? a.rawPosition - b.rawPosition : 0))
      .map((channel) => channel.id);
    const ordered = guild.systemChannelId ? [guild.systemChannelId, ...channels.filter((id) => id !== guild.systemChannelId)] : channels;
    const writable: string[] = [];
    for (const channelId of ordered) {
      if ((await access.missingPermissions(guildId, channelId)).length === 0) writable.push(channelId);
    }
    return writable;
  };
}
