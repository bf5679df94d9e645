/**
 * Decides which shards this instance runs. On every beat it announces itself, renews the
 * leases it holds (stopping any shard whose lease another instance took), gives up shards
 * beyond its fair share (shards / live instances, rounded up) so a new instance gets some, and
 * takes free shards up to that share: those of an instance that stopped beating fall free when
 * its leases expire. Shards start in the background, so a long identify queue never delays the
 * renewals.
 *
 * Resharding while running: with DISCORD_SHARDS=auto, every RECOMMENDATION_CHECK_MS an instance
 * asks Discord for its recommended count and raises the agreed count when Discord wants more.
 * Each instance notices a new agreed count on its next beat and moves to it: it stops its
 * shards of the old count, frees their leases, and takes its share of the new count's (new
 * lease keys, so old and new never contend). Guilds are unserved between a shard's stop and
 * its successor's ready, a few identify windows; an interaction in that gap is not received,
 * one received twice is answered once (the interaction claim).
 */
import type { Logger } from '../../logger.ts';
import type { GatewayInfo } from './gateway-info.ts';
import type { ShardLeases } from './shard-leases.ts';
import type { ShardPool } from './shard-pool.ts';

/** DISCORD_SHARDS: Discord's recommendation, or a fixed count. */
export type ShardSetting = 'auto' | number;

/**
 * How often Discord's recommended count is read again while running (DISCORD_SHARDS=auto). It
 * grows with the bot long before a session nears the 2,500 servers Discord closes it at.
 */
export const RECOMMENDATION_CHECK_MS = 15 * 60_000;

export interface ShardCoordinatorOptions {
  setting: ShardSetting;
  leases: ShardLeases;
  pool: ShardPool;
  gateway: () => Promise<GatewayInfo>;
  /** How often leases are renewed (a third of the lease time). */
  renewMs: number;
  /** How often the recommended count is read again (default RECOMMENDATION_CHECK_MS). */
  recommendationCheckMs?: number;
  log: Logger;
}

export interface ShardCoordinator {
  /** Takes this instance's share and resolves when those shards are ready; keeps beating after. */
  start(): Promise<void>;
  /** Stops beating, closes the shards and frees their leases at once for the others. */
  stop(): Promise<void>;
}

export function createShardCoordinator(options: ShardCoordinatorOptions): ShardCoordinator {
  const { leases, pool, log } = options;
  let count = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;
  let beating: Promise<unknown> = Promise.resolve();
  /** A session start limit spent: no shard is started before this time. */
  let blockedUntil = 0;
  const recommendationCheckMs = options.recommendationCheckMs ?? RECOMMENDATION_CHECK_MS;
  let recommendationCheckedAt = Date.now();

  const pendingStops = new Set<Promise<unknown>>();
  function background(work: Promise<unknown>): void {
    const tracked = work
      .catch((error: unknown) => log.warn({ err: error }, 'stopping a shard failed'))
      .finally(() => pendingStops.delete(tracked));
    pendingStops.add(tracked);
  }

  function launch(shardId: number): Promise<void> {
    // The count it started with: the agreed count may move on while it starts.
    const shardCount = count;
    return pool.start(shardId, shardCount).catch(async (error: unknown) => {
      log.error({ shardId, shardCount, err: error }, 'shard failed to start; its lease is freed');
      await pool.stop(shardId);
      await leases.release(shardId, shardCount).catch(() => undefined);
    });
  }

  /** The count agreed now: raised first when it is time to ask Discord and it recommends more. */
  async function agreedCount(): Promise<number> {
    const agreed = await leases.agreeCount(count);
    if (options.setting !== 'auto' || Date.now() - recommendationCheckedAt < recommendationCheckMs)
      return agreed;
    recommendationCheckedAt = Date.now();
    // A failed question must not cost this beat its renewals: asked again at the next check.
    const recommended = await options.gateway().then(
      (info) => info.recommendedShards,
      (error: unknown) => {
        log.warn({ err: error }, 'could not read the recommended shard count; keeping the current one');
        return 0;
      },
    );
    return recommended > agreed ? leases.raiseCount(recommended) : agreed;
  }

  /** Leaves the old count's shards (stopped, leases freed) to take a share of the new count's. */
  function moveTo(agreed: number): void {
    const old = count;
    log.info({ from: old, to: agreed, shards: pool.held() }, 'shard count changed; moving to the new count');
    for (const shardId of pool.held())
      background(pool.stop(shardId).then(() => leases.release(shardId, old)));
    count = agreed;
  }

  /** One beat; returns the starts it began (the first beat's are awaited by start()). */
  async function beat(): Promise<Promise<void>[]> {
    const live = await leases.beat();
    const agreed = await agreedCount();
    if (agreed !== count) moveTo(agreed);
    for (const shardId of await leases.renew(pool.held(), count)) {
      log.warn({ shardId }, 'shard lease held by another instance; stopping the shard here');
      background(pool.stop(shardId));
    }
    const share = Math.ceil(count / live);
    const held = pool.held();
    while (held.length > share) {
      const shardId = held.pop() as number;
      log.info({ shardId, instances: live, share }, 'giving up a shard for a new instance');
      // Stopped in the background (a starting shard finishes its login first) so renewals go on.
      background(pool.stop(shardId).then(() => leases.release(shardId, count)));
    }
    if (held.length >= share || Date.now() < blockedUntil) return [];
    const info = await options.gateway();
    if (info.sessionsRemaining < 1) {
      blockedUntil = Date.now() + info.resetAfterMs;
      log.warn(
        { resetAfterMs: info.resetAfterMs },
        'session start limit reached; no shard starts until it resets',
      );
      return [];
    }
    const starts: Promise<void>[] = [];
    // Each start spends one of the remaining sessions; the rest wait for a later beat.
    const room = Math.min(share, held.length + info.sessionsRemaining);
    for (let shardId = 0; shardId < count && held.length < room; shardId += 1) {
      if (held.includes(shardId) || !(await leases.tryAcquire(shardId, count))) continue;
      held.push(shardId);
      starts.push(launch(shardId));
    }
    return starts;
  }

  function schedule(): void {
    timer = setTimeout(() => {
      beating = beat()
        .catch((error: unknown) => log.warn({ err: error }, 'shard lease beat failed; trying again'))
        .finally(() => {
          if (!stopping) schedule();
        });
    }, options.renewMs);
  }

  return {
    async start() {
      const info = await options.gateway();
      const proposed = options.setting === 'auto' ? info.recommendedShards : options.setting;
      count = await leases.agreeCount(proposed);
      if (count !== proposed)
        log.info({ proposed, shardCount: count }, 'joining the shard count the running instances use');
      if (leases.shared) {
        // Instances started together see each other before taking shards.
        await leases.beat();
        await new Promise((resolve) => setTimeout(resolve, options.renewMs));
      }
      const first = beat();
      beating = first;
      const starts = await first;
      schedule();
      await Promise.all(starts);
      log.info({ shards: pool.held(), shardCount: count }, 'gateway shards running');
    },
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await beating.catch(() => undefined);
      await Promise.all(pendingStops);
      const held = pool.held();
      await pool.stopAll();
      for (const shardId of held) await leases.release(shardId, count).catch(() => undefined);
      await leases.leave().catch(() => undefined);
    },
  };
}
