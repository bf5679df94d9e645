/**
 * The Discord side of DestinationAccess: Herald's own permissions in a channel, and where a
 * guild's admins can be told something. With the gateway client, both come from its cache
 * (the Guilds intent keeps it current); with REST alone (the command line), permissions cannot
 * be checked and notice channels are listed over REST.
 */
import { ChannelType, PermissionFlagsBits, Routes, type Client, type REST } from 'discord.js';
import type { Pacer } from '../delivery/pacer.ts';
import {
  CHANNEL_DOES_NOT_EXIST,
  MESSAGE_CHANNEL_KINDS,
  POSTING_PERMISSIONS,
  type ChannelKind,
  type ChannelPermission,
  type DestinationAccess,
} from '../delivery/sink.ts';

const FLAGS: Record<ChannelPermission, readonly [string, bigint]> = {
  view: ['View Channel', PermissionFlagsBits.ViewChannel],
  send: ['Send Messages', PermissionFlagsBits.SendMessages],
  embed: ['Embed Links', PermissionFlagsBits.EmbedLinks],
  'create-public-threads': ['Create Public Threads', PermissionFlagsBits.CreatePublicThreads],
  'send-in-threads': ['Send Messages in Threads', PermissionFlagsBits.SendMessagesInThreads],
  'read-history': ['Read Message History', PermissionFlagsBits.ReadMessageHistory],
};

const KIND_OF: ReadonlyMap<ChannelType, ChannelKind> = new Map([
  [ChannelType.GuildText, 'text'],
  [ChannelType.GuildAnnouncement, 'announcement'],
  [ChannelType.GuildForum, 'forum'],
]);

function kindsText(accept: readonly ChannelKind[]): string {
  const names = accept.map((kind) => (kind === 'announcement' ? 'an announcement' : `a ${kind}`));
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names.at(-1) ?? ''}`;
}

/**
 * Herald's permissions from the cache of the client holding the guild; notice channels are
 * those Herald can post in, system channel first. A guild whose shard runs on another instance
 * is answered by `elsewhere` (REST).
 */
export function createDiscordAccess(
  clientFor: (guildId: string) => Client | undefined,
  elsewhere: DestinationAccess,
): DestinationAccess {
  async function missingPermissions(
    guildId: string,
    channelId: string,
    needs: readonly ChannelPermission[] = POSTING_PERMISSIONS,
    accept: readonly ChannelKind[] = MESSAGE_CHANNEL_KINDS,
  ): Promise<string[]> {
    const client = clientFor(guildId);
    if (client === undefined) return elsewhere.missingPermissions(guildId, channelId, needs, accept);
    const guild = client.guilds.cache.get(guildId);
    const channel = guild?.channels.cache.get(channelId);
    if (!guild || !channel || client.user === null) return [CHANNEL_DOES_NOT_EXIST];
    const kind = KIND_OF.get(channel.type);
    if (kind === undefined || !accept.includes(kind))
      return [`${kindsText(accept)} channel (this one is not)`];
    const permissions = channel.permissionsFor(client.user);
    if (permissions === null) return needs.map((need) => FLAGS[need][0]);
    return needs.filter((need) => !permissions.has(FLAGS[need][1])).map((need) => FLAGS[need][0]);
  }

  return {
    missingPermissions,
    async roleMention(guildId, channelId, roleId) {
      const client = clientFor(guildId);
      if (client === undefined) return elsewhere.roleMention?.(guildId, channelId, roleId);
      const guild = client.guilds.cache.get(guildId);
      const role = guild?.roles.cache.get(roleId);
      if (!guild || !role) return undefined;
      const channel = guild.channels.cache.get(channelId);
      const permissions = channel && client.user ? channel.permissionsFor(client.user) : null;
      return {
        name: role.name,
        mentionable: role.mentionable,
        mayMentionEveryone: permissions?.has(PermissionFlagsBits.MentionEveryone) ?? false,
      };
    },
    async forumTags(guildId, channelId) {
      const client = clientFor(guildId);
      if (client === undefined) return (await elsewhere.forumTags?.(guildId, channelId)) ?? [];
      const channel = client.guilds.cache.get(guildId)?.channels.cache.get(channelId);
      if (channel?.type !== ChannelType.GuildForum) return [];
      return channel.availableTags.map((tag) => ({ id: tag.id, name: tag.name }));
    },
    async noticeChannels(guildId) {
      const client = clientFor(guildId);
      if (client === undefined) return elsewhere.noticeChannels(guildId);
      const guild = client.guilds.cache.get(guildId);
      if (!guild) return [];
      const channels = [...guild.channels.cache.values()]
        .filter(
          (channel) =>
            channel.type === ChannelType.GuildText || channel.type === ChannelType.GuildAnnouncement,
        )
        .sort((a, b) => ('rawPosition' in a && 'rawPosition' in b ? a.rawPosition - b.rawPosition : 0))
        .map((channel) => channel.id);
      const system = guild.systemChannelId;
      const ordered = system ? [system, ...channels.filter((id) => id !== system)] : channels;
      const writable: string[] = [];
      for (const channelId of ordered) {
        if ((await missingPermissions(guildId, channelId)).length === 0) writable.push(channelId);
      }
      return writable;
    },
  };
}

/** What REST alone can tell (the command line with a token): no permission checks, notice channels by listing. */
export function createRestAccess(rest: Pick<REST, 'get'>, pacer: Pacer): DestinationAccess {
  return {
    async missingPermissions() {
      return ['a connection to Discord (run the bot to set up digests)'];
    },
    // A post made by an instance that does not hold the forum's shard still gets its tags.
    async forumTags(_guildId, channelId) {
      const channel = (await pacer.run(() => rest.get(Routes.channel(channelId)))) as {
        type: number;
        available_tags?: { id: string; name: string }[];
      };
      if (channel.type !== ChannelType.GuildForum) return [];
      return (channel.available_tags ?? []).map((tag) => ({ id: tag.id, name: tag.name }));
    },
    async noticeChannels(guildId) {
      const guild = (await pacer.run(() => rest.get(Routes.guild(guildId)))) as {
        system_channel_id?: string | null;
      };
      const channels = (await pacer.run(() => rest.get(Routes.guildChannels(guildId)))) as {
        id: string;
        type: number;
        position?: number;
      }[];
      const text = channels
        .filter(
          (channel) =>
            channel.type === ChannelType.GuildText || channel.type === ChannelType.GuildAnnouncement,
        )
        .sort((a, b) => (a.position ?? 0) - (b.position ?? 0))
        .map((channel) => channel.id);
      const system = guild.system_channel_id;
      return system ? [system, ...text.filter((id) => id !== system)] : text;
    },
  };
}
