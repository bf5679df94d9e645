/**
 * Channel feeds on Discord: posting a story as a message (and starting its thread), as a forum
 * post, or into a story's thread over discord.js REST, with mentions off and failures classified
 * as for digests; and checking Herald's own permissions in a channel before a feed is saved.
 */
import { ChannelType, PermissionFlagsBits, Routes, type Client, type REST } from 'discord.js';
import type { APIChannel, APIMessage } from 'discord-api-types/v10';
import { createDiscordGuildNotifier, createWritableChannelFinder, guildNoticeCodec, toPostError } from '../digest/discord-poster.ts';
import type { FeedTransport } from '../feeds/build-feeds.ts';
import type { Herald } from '../herald.ts';
import type { FeedChannelAccess, FeedSink, OutgoingMessage } from '../feeds/feed-sink.ts';
import { NO_MENTIONS } from './render.ts';

/** A day: long enough for updates to land while a story is live. */
const THREAD_ARCHIVE_MINUTES = 1440;
/** Discord's answer when a message already has a thread: the thread's id is the message's. */
const THREAD_ALREADY_CREATED = 160004;

function body(message: OutgoingMessage): Record<string, unknown> {
  return {
    ...(message.content === undefined ? {} : { content: message.content }),
    ...(message.embeds === undefined ? {} : { embeds: message.embeds }),
    allowed_mentions: { parse: [...NO_MENTIONS.parse] },
  };
}

export function createDiscordFeedSink(rest: REST): FeedSink {
  async function send(channelId: string, message: OutgoingMessage, nonce: string): Promise<string> {
    try {
      const sent = (await rest.post(Routes.channelMessages(channelId), { body: { ...body(message), nonce, enforce_nonce: true } })) as APIMessage;
      return sent.id;
    } catch (error) {
      throw toPostError(error);
    }
  }

  return {
    async post(target, message, { nonce, threadName }) {
      if (target.kind === 'forum') {
        // A forum takes posts only; the post's starter message shares the thread's id.
        try {
          const thread = (await rest.post(Routes.threads(target.channelId), {
            body: { name: threadName ?? 'News', auto_archive_duration: THREAD_ARCHIVE_MINUTES, message: body(message) },
          })) as APIChannel;
          return { messageId: thread.id, threadId: thread.id };
        } catch (error) {
          throw toPostError(error);
        }
      }
      const messageId = await send(target.channelId, message, nonce);
      if (threadName === undefined) return { messageId };
      try {
        const thread = (await rest.post(Routes.threads(target.channelId, messageId), {
          body: { name: threadName, auto_archive_duration: THREAD_ARCHIVE_MINUTES },
        })) as APIChannel;
        return { messageId, threadId: thread.id };
      } catch (error) {
        const failure = toPostError(error);
        if (failure.code === THREAD_ALREADY_CREATED) return { messageId, threadId: messageId };
        throw failure;
      }
    },
    async postInThread(threadId, message, { nonce }) {
      return { messageId: await send(threadId, message, nonce) };
    },
  };
}

const BASE_NEEDS = [
  ['View Channel', PermissionFlagsBits.ViewChannel],
  ['Send Messages', PermissionFlagsBits.SendMessages],
  ['Embed Links', PermissionFlagsBits.EmbedLinks],
] as const;
const THREAD_NEEDS = [
  ['Create Public Threads', PermissionFlagsBits.CreatePublicThreads],
  ['Send Messages in Threads', PermissionFlagsBits.SendMessagesInThreads],
] as const;
const FORUM_NEEDS = [['Send Messages in Threads', PermissionFlagsBits.SendMessagesInThreads]] as const;

/** Herald's permissions in a channel from the client's cache (the Guilds intent keeps it current). */
export function createFeedChannelAccess(client: Client): FeedChannelAccess {
  return {
    async inspect(guildId, channelId, { threads }) {
      const channel = client.guilds.cache.get(guildId)?.channels.cache.get(channelId);
      if (!channel || client.user === null) return { kind: undefined, missing: [] };
      const kind = channel.type === ChannelType.GuildForum ? 'forum'
        : channel.type === ChannelType.GuildText || channel.type === ChannelType.GuildAnnouncement ? 'text' : undefined;
      if (kind === undefined) return { kind: 'text', missing: ['a text, announcement or forum channel (this one is not)'] };
      const needs = [...BASE_NEEDS, ...(kind === 'forum' ? FORUM_NEEDS : threads ? THREAD_NEEDS : [])];
      const permissions = channel.permissionsFor(client.user);
      if (permissions === null) return { kind, missing: needs.map(([name]) => name) };
      return { kind, missing: needs.filter(([, flag]) => !permissions.has(flag)).map(([name]) => name) };
    },
  };
}

/** Everything channel feeds need on Discord, from the logged-in client. */
export function discordFeedTransport(herald: Pick<Herald, 'backend' | 'log'>, client: Client): FeedTransport {
  return {
    mode: 'discord',
    sink: createDiscordFeedSink(client.rest),
    access: createFeedChannelAccess(client),
    notifier: createDiscordGuildNotifier({
      rest: client.rest,
      store: herald.backend.records('guild-notices', guildNoticeCodec),
      findWritableChannel: createWritableChannelFinder(client),
      log: herald.log,
    }),
  };
}

/**
 * The command line with a token: REST only, no gateway cache to read permissions from. The
 * channel's kind comes from Discord; a permission missing there surfaces as 50013 on the first
 * post, which pauses the feed with the reason (the operator is the admin here).
 */
export function restFeedTransport(herald: Pick<Herald, 'backend' | 'log'>, rest: REST): FeedTransport {
  return {
    mode: 'discord',
    sink: createDiscordFeedSink(rest),
    access: {
      async inspect(guildId, channelId) {
        try {
          const channel = (await rest.get(Routes.channel(channelId))) as { type: number; guild_id?: string };
          if (channel.guild_id !== guildId) return { kind: undefined, missing: [] };
          if (channel.type === ChannelType.GuildForum) return { kind: 'forum', missing: [] };
          const postable = channel.type === ChannelType.GuildText || channel.type === ChannelType.GuildAnnouncement;
          return { kind: 'text', missing: postable ? [] : ['a text, announcement or forum channel (this one is not)'] };
        } catch {
          return { kind: undefined, missing: [] };
        }
      },
    },
    notifier: createDiscordGuildNotifier({
      rest,
      store: herald.backend.records('guild-notices', guildNoticeCodec),
      findWritableChannel: async (guildId) => {
        const guild = (await rest.get(Routes.guild(guildId))) as { system_channel_id?: string | null };
        return guild.system_channel_id ? [guild.system_channel_id] : [];
      },
      log: herald.log,
    }),
  };
}
