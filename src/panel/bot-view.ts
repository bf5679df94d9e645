import { TERMINAL_CHANNEL_ID, TERMINAL_GUILD_ID } from '../delivery/destination.ts';
import type { ShardState } from '../status/shard-status.ts';

export interface PanelGuild {
  id: string;
  name: string;
}

export interface PanelChannel {
  id: string;
  name: string;
}

export interface PanelRole {
  id: string;
  name: string;
}

/** What the panel needs to know about where Herald runs: Discord's servers, or the terminal. */
export interface PanelBotView {
  readonly surface: 'discord' | 'terminal';
  /** Connected to the gateway (always true for the terminal). */
  connected(): boolean;
  /** The servers Herald is in. */
  guilds(): PanelGuild[];
  /** Channels in a server where feeds and digests can post, by name. */
  channels(guildId: string): PanelChannel[];
  /** Roles a feed may name to ping (not @everyone, not a bot's own role), by name. */
  roles(guildId: string): PanelRole[];
  /** The gateway shards this instance holds (none in the terminal), for /metrics. */
  shards(): ShardState[];
}

/** The terminal mode: one pseudo-server, the terminal itself, run by the local operator. */
export function createTerminalBotView(): PanelBotView {
  return {
    surface: 'terminal',
    connected: () => true,
    guilds: () => [{ id: TERMINAL_GUILD_ID, name: 'This terminal' }],
    channels: (guildId) =>
      guildId === TERMINAL_GUILD_ID ? [{ id: TERMINAL_CHANNEL_ID, name: 'terminal' }] : [],
    // The terminal has no roles: a feed there names one as typed.
    roles: () => [],
    shards: () => [],
  };
}
