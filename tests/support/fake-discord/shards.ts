// Sharding as Discord plays it: which guilds a shard holds, the recommended shard count, and
// the rules an IDENTIFY must pass (a valid [shard_id, num_shards], at most 2,500 guilds per
// session, one identify per max_concurrency bucket per interval).
import { guildCreate, type Json, type World } from './fixtures.ts';

/** Discord closes a session that would hold more guilds than this (4011, sharding required). */
export const MAX_GUILDS_PER_SESSION = 2500;
/** Discord's window between identifies of one max_concurrency bucket. */
export const DISCORD_IDENTIFY_INTERVAL_MS = 5000;

export const GATEWAY_CLOSE = {
  rateLimited: 4008,
  invalidShard: 4010,
  shardingRequired: 4011,
} as const;

/** The shard a guild's events go to: (guild_id >> 22) % num_shards, as Discord routes them. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/**
 * Every guild the bot is in: the world's guild (fully modelled) and `extra` more, each with
 * one text channel. Extra guild ids take consecutive timestamps after the world's guild, so
 * they spread evenly over any shard count; they are computed, not stored.
 */
export interface GuildDirectory {
  readonly count: number;
  /** Guild ids in order (the world's guild first). */
  ids(): Iterable<string>;
  /** The text channel of an extra guild (the world's guild keeps world.channelId). */
  channelOf(guildId: string): string;
  has(guildId: string): boolean;
  onShard(shardId: number, shardCount: number): string[];
  /** Discord's recommendation: enough shards that none holds more than the session maximum. */
  recommendedShards(): number;
  /** GUILD_CREATE for any guild of the directory. */
  guildCreate(guildId: string): Json;
}

export function createGuildDirectory(world: World, extra: number): GuildDirectory {
  const base = BigInt(world.guildId) >> 22n;
  const extraId = (index: number): string => (((base + 1n + BigInt(index)) << 22n) | (1n << 17n)).toString();
  const isExtra = (guildId: string): boolean => {
    if (!/^\d+$/.test(guildId)) return false;
    const offset = (BigInt(guildId) >> 22n) - base - 1n;
    return offset >= 0n && offset < BigInt(extra) && extraId(Number(offset)) === guildId;
  };
  function* ids(): Iterable<string> {
    yield world.guildId;
    for (let index = 0; index < extra; index += 1) yield extraId(index);
  }
  const channelOf = (guildId: string): string => (BigInt(guildId) + 1n).toString();
  return {
    count: extra + 1,
    ids,
    channelOf: (guildId) => (guildId === world.guildId ? world.channelId : channelOf(guildId)),
    has: (guildId) => guildId === world.guildId || isExtra(guildId),
    onShard(shardId, shardCount) {
      return [...ids()].filter((id) => shardOf(id, shardCount) === shardId);
    },
    recommendedShards: () => Math.max(1, Math.ceil((extra + 1) / MAX_GUILDS_PER_SESSION)),
    guildCreate(guildId) {
      const full = guildCreate(world);
      if (guildId === world.guildId) return full;
      const channelId = channelOf(guildId);
      const roles = (full.roles as Json[]).map((role) =>
        role.id === world.guildId ? { ...role, id: guildId } : role,
      );
      const channel = { ...(full.channels as Json[])[0], id: channelId, guild_id: guildId };
      return {
        ...full,
        id: guildId,
        name: `Guild ${guildId.slice(-6)}`,
        system_channel_id: channelId,
        roles,
        channels: [channel],
      };
    },
  };
}

/** Why an IDENTIFY is refused, as the close code Discord sends; undefined when it may go on. */
export interface IdentifyRules {
  check(shard: unknown): { code: number; reason: string } | { shard: [number, number] };
  /** Records an accepted identify (its bucket's window starts now). */
  accepted(shardId: number): void;
}

export function createIdentifyRules(options: {
  guilds: GuildDirectory;
  maxConcurrency: number;
  intervalMs: number;
  now: () => number;
}): IdentifyRules {
  const lastByBucket = new Map<number, number>();
  const bucketOf = (shardId: number): number => shardId % options.maxConcurrency;
  return {
    check(shard) {
      const given = shard === undefined ? [0, 1] : shard;
      if (
        !Array.isArray(given) ||
        given.length !== 2 ||
        !given.every((part) => Number.isInteger(part)) ||
        given[1] < 1 ||
        given[0] < 0 ||
        given[0] >= given[1]
      )
        return { code: GATEWAY_CLOSE.invalidShard, reason: 'Invalid shard.' };
      const [shardId, shardCount] = given as [number, number];
      const last = lastByBucket.get(bucketOf(shardId));
      if (last !== undefined && options.now() - last < options.intervalMs)
        return { code: GATEWAY_CLOSE.rateLimited, reason: 'You are being rate limited.' };
      if (options.guilds.onShard(shardId, shardCount).length > MAX_GUILDS_PER_SESSION)
        return { code: GATEWAY_CLOSE.shardingRequired, reason: 'Sharding required.' };
      return { shard: [shardId, shardCount] };
    },
    accepted(shardId) {
      lastByBucket.set(bucketOf(shardId), options.now());
    },
  };
}
