/**
 * The gateway shards this instance runs: one discord.js Client per shard, each told its shard
 * (`shards: [id]`, `shardCount`), so shards can be taken over and given up one at a time
 * while the others keep their sessions. Herald's own posts go over a REST shared by all.
 */
import { Events, ShardClientUtil, Status, type Client } from 'discord.js';
import type { Logger } from '../../logger.ts';
import type { ShardState, ShardStatusProvider } from '../../status/shard-status.ts';

export interface ShardPool extends ShardStatusProvider {
  /** Shard ids running here (connecting or ready), lowest first. */
  held(): number[];
  /** Logs a client in for the shard; resolves when it is ready, rejects if Discord closes it for good. */
  start(shardId: number, shardCount: number): Promise<void>;
  stop(shardId: number): Promise<void>;
  stopAll(): Promise<void>;
  /** The client whose shard holds `guildId`, when this instance runs that shard. */
  clientFor(guildId: string): Client | undefined;
  /** The clients of the shards running here. */
  clients(): Client[];
}

export interface ShardPoolOptions {
  token: string;
  /** Builds a client for one shard, with Herald's defaults and listeners attached. */
  makeClient(shardId: number, shardCount: number): Client;
  log: Logger;
}

interface Running {
  client: Client;
  count: number;
  stopped: boolean;
  /** Settles when the login ends either way; a client is destroyed only after it. */
  loggedIn: Promise<unknown>;
  /** Ends the wait for ready of a shard stopped while starting. */
  abandon(): void;
}

function stateOf(status: Status): ShardState['status'] {
  if (status === Status.Ready) return 'ready';
  if (status === Status.Reconnecting || status === Status.Resuming) return 'reconnecting';
  if (status === Status.Disconnected) return 'stopped';
  return 'connecting';
}

export function createShardPool(options: ShardPoolOptions): ShardPool {
  const { log } = options;
  const running = new Map<number, Running>();

  async function stop(shardId: number): Promise<void> {
    const entry = running.get(shardId);
    if (entry === undefined) return;
    entry.stopped = true;
    running.delete(shardId);
    entry.abandon();
    // Destroying a client in the middle of its login can leave its socket behind.
    await entry.loggedIn.catch(() => undefined);
    await entry.client.destroy();
    log.info({ shardId, shardCount: entry.count }, 'shard stopped');
  }

  return {
    held: () => [...running.keys()].sort((a, b) => a - b),
    clients: () => [...running.values()].map((entry) => entry.client),
    async start(shardId, shardCount) {
      if (running.has(shardId)) return;
      const client = options.makeClient(shardId, shardCount);
      let abandon = (): void => undefined;
      const ready = new Promise<void>((resolve, reject) => {
        abandon = resolve;
        client.once(Events.ClientReady, () => resolve());
        // A close Discord does not let the client resume from (4010, 4011, 4014, ...).
        client.once(Events.ShardDisconnect, (event) =>
          reject(new Error(`gateway closed shard ${shardId} with ${event.code}`)),
        );
      });
      const loggedIn = client.login(options.token);
      const entry: Running = { client, count: shardCount, stopped: false, loggedIn, abandon };
      running.set(shardId, entry);
      log.info({ shardId, shardCount }, 'shard starting');
      try {
        await loggedIn;
        await ready;
      } catch (error) {
        if (running.get(shardId) === entry) running.delete(shardId);
        await client.destroy().catch(() => undefined);
        throw error;
      }
      if (entry.stopped) return;
      log.info({ shardId, shardCount, guilds: client.guilds.cache.size }, 'shard ready');
    },
    stop,
    async stopAll() {
      for (const shardId of [...running.keys()]) await stop(shardId);
    },
    clientFor(guildId) {
      for (const entry of running.values()) {
        const shardId = ShardClientUtil.shardIdForGuildId(guildId, entry.count);
        const owner = running.get(shardId);
        return owner?.count === entry.count ? owner.client : undefined;
      }
      return undefined;
    },
    shards() {
      return [...running.entries()]
        .sort(([a], [b]) => a - b)
        .map(([id, entry]) => {
          const shard = entry.client.ws.shards.get(id);
          const ping = shard?.ping ?? -1;
          return {
            id,
            count: entry.count,
            status: stateOf(shard === undefined ? Status.Connecting : shard.status),
            latencyMs: ping >= 0 ? ping : undefined,
            guilds: entry.client.guilds.cache.size,
          };
        });
    },
  };
}
