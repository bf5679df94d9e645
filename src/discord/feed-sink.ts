/**
 * The delivery transport channel feeds use on Discord: the delivery layer's Discord sink over
 * the client's REST, paced per process, and its access checks from the client's cache; or, on
 * the command line, from REST alone, where Herald's permissions cannot be read (the channel's
 * kind can: a 50013 on the first post then pauses the feed with the reason).
 */
import { ChannelType, Routes, type Client, type REST } from 'discord.js';
import { createPacer, DISCORD_PACE_PER_SECOND, type Pacer } from '../delivery/pacer.ts';
import { CHANNEL_DOES_NOT_EXIST, MESSAGE_CHANNEL_KINDS, type ChannelKind, type DeliveryTransport } from '../delivery/sink.ts';
import { createDiscordAccess, createRestAccess } from './discord-access.ts';
import { createDiscordSink } from './discord-sink.ts';

export function discordFeedTransport(client: Client, pacer: Pacer = createPacer({ perSecond: DISCORD_PACE_PER_SECOND })): DeliveryTransport {
  return { sink: createDiscordSink({ rest: client.rest, pacer }), access: createDiscordAccess(client) };
}

const KIND_OF: ReadonlyMap<number, ChannelKind> = new Map([
  [ChannelType.GuildText, 'text'],
  [ChannelType.GuildAnnouncement, 'announcement'],
  [ChannelType.GuildForum, 'forum'],
]);

export function restFeedTransport(rest: REST, pacer: Pacer = createPacer({ perSecond: DISCORD_PACE_PER_SECOND })): DeliveryTransport {
  const restAccess = createRestAccess(rest, pacer);
  return {
    sink: createDiscordSink({ rest, pacer }),
    access: {
      async missingPermissions(guildId, channelId, _needs, accept = MESSAGE_CHANNEL_KINDS) {
        let channel: { type?: number; guild_id?: string };
        try {
          await pacer.take();
          channel = (await rest.get(Routes.channel(channelId))) as typeof channel;
        } catch {
          return [CHANNEL_DOES_NOT_EXIST];
        }
        const kind = channel.type === undefined ? undefined : KIND_OF.get(channel.type);
        if (channel.guild_id !== guildId) return [CHANNEL_DOES_NOT_EXIST];
        return kind !== undefined && accept.includes(kind) ? [] : [`a ${accept.join(' or ')} channel (this one is not)`];
      },
      noticeChannels: (guildId) => restAccess.noticeChannels(guildId),
    },
  };
}
