import { ChannelType, Status } from 'discord.js';
import type { PanelBotView } from '../panel/bot-view.ts';
import type { DiscordBot } from './client.ts';

const POSTABLE = new Set([ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildForum]);

/**
 * The panel's view of the servers and channels discord.js has cached from the gateway, over
 * the shards this instance runs (a server on another instance's shard is that panel's).
 */
export function createDiscordBotView(bot: DiscordBot): PanelBotView {
  return {
    surface: 'discord',
    connected: () => {
      const clients = bot.clients();
      return (
        clients.length > 0 && clients.every((client) => client.isReady() && client.ws.status === Status.Ready)
      );
    },
    guilds: () =>
      bot
        .clients()
        .flatMap((client) => [...client.guilds.cache.values()])
        .map((guild) => ({ id: guild.id, name: guild.name }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    channels: (guildId) =>
      [...(bot.clientFor(guildId)?.guilds.cache.get(guildId)?.channels.cache.values() ?? [])]
        .filter((channel) => POSTABLE.has(channel.type))
        .map((channel) => ({ id: channel.id, name: channel.name }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    roles: (guildId) =>
      [...(bot.clientFor(guildId)?.guilds.cache.get(guildId)?.roles.cache.values() ?? [])]
        .filter((role) => role.id !== guildId && !role.managed)
        .map((role) => ({ id: role.id, name: role.name }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    shards: () => bot.shards(),
  };
}
