/**
 * What this instance knows about the gateway shards it holds. The Discord side provides it;
 * /status and the panel's metrics read it without importing discord.js.
 */

/** One gateway shard held by this instance. */
export interface ShardState {
  id: number;
  /** How many shards the bot runs in all (num_shards in IDENTIFY). */
  count: number;
  status: 'connecting' | 'ready' | 'reconnecting' | 'stopped';
  /** The last heartbeat round trip; undefined before the first one. */
  latencyMs: number | undefined;
  /** Guilds in this shard's cache. */
  guilds: number;
}

/** Reads the shards this instance holds, lowest id first. */
export interface ShardStatusProvider {
  shards(): ShardState[];
}
