/**
 * Discord's global limit is per bot token, not per process: instances sharing a token on one
 * Redis split it. Each instance beats into a sorted set (score: its last beat); an instance
 * that has not beaten for three beats (a crash, a partition) drops out. Each one paces at the
 * budget divided by the instances alive, so together they stay under it. One Redis round trip
 * per beat, none per request.
 */
import type { RedisClientType } from '@keyv/redis';
import type { Logger } from '../logger.ts';
import type { AdjustablePacer } from './pacer.ts';

export interface PacerShareOptions {
  client: RedisClientType;
  /** The sorted set's key (under the store's prefix, so separate deployments do not mix). */
  key: string;
  instanceId: string;
  pacer: AdjustablePacer;
  /** The budget of the whole token, split between the instances. */
  totalPerSecond: number;
  log: Logger;
  /** Default 5 s; an instance missing three beats is counted out. */
  beatMs?: number;
  now?: () => number;
}

export interface PacerShare {
  /** Beats once (so the budget is split before the first post), then every beat. */
  start(): Promise<void>;
  /** One beat: announces this instance, counts the live ones, resizes the pacer. Returns the count. */
  beat(): Promise<number>;
  /** Leaves the set at once, so the others take the whole budget back on their next beat. */
  stop(): Promise<void>;
}

export function createPacerShare(options: PacerShareOptions): PacerShare {
  const { client, key, instanceId, pacer, log } = options;
  const beatMs = options.beatMs ?? 5000;
  const now = options.now ?? Date.now;
  let timer: NodeJS.Timeout | undefined;

  async function beat(): Promise<number> {
    const at = now();
    const replies = await client
      .multi()
      .zAdd(key, { score: at, value: instanceId })
      .zRemRangeByScore(key, '-inf', at - 3 * beatMs)
      .zCard(key)
      .pExpire(key, 10 * beatMs)
      .exec();
    const live = Math.max(1, Number(replies[2] ?? 1));
    const share = options.totalPerSecond / live;
    if (share !== pacer.perSecond()) {
      pacer.setPerSecond(share);
      log.info(
        { instances: live, perSecond: Math.round(share * 10) / 10 },
        'Discord request budget shared between instances',
      );
    }
    return live;
  }

  return {
    async start() {
      await beat();
      let beating = false;
      timer = setInterval(() => {
        // One beat at a time: while Redis is away, beats do not pile up behind each other.
        if (beating) return;
        beating = true;
        // A missed beat keeps the last share; Redis being down is reported by the store itself.
        beat()
          .catch((error: unknown) => log.debug({ err: error }, 'pacer share beat failed'))
          .finally(() => (beating = false));
      }, beatMs);
      timer.unref();
    },
    beat,
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await client.zRem(key, instanceId).catch(() => undefined);
    },
  };
}
