/**
 * One pacer per process for everything Herald posts on its own (digests, feeds, DMs, notices):
 * Discord's global limit (50 requests a second per bot) counts all of them together, so they
 * must queue in one place. The pacer keeps a sliding one-second window a little under the limit
 * and lets requests out in arrival order; a request over budget waits until the oldest in the
 * window is a second old. Interaction replies do not pass through it (Discord exempts them).
 */

export interface Pacer {
  /** Resolves when one more request may go; requests are let out in the order they asked. */
  take(): Promise<void>;
}

export interface PacerOptions {
  /** Requests allowed in any one-second window. */
  perSecond: number;
  /** Default Date.now; tests pass a fake clock with `sleep`. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Window length; default 1000 ms. */
  windowMs?: number;
}

/** Discord's global limit is 50/s; 45 leaves room for clocks and latency that differ from Discord's. */
export const DISCORD_PACE_PER_SECOND = 45;

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function createPacer(options: PacerOptions): Pacer {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const windowMs = options.windowMs ?? 1000;
  const budget = Math.max(1, Math.floor(options.perSecond * (windowMs / 1000)));
  // Send times of the last `budget` requests, oldest first.
  const sent: number[] = [];
  let queue: Promise<void> = Promise.resolve();

  async function admit(): Promise<void> {
    for (;;) {
      const at = now();
      while (sent.length > 0 && (sent[0] as number) <= at - windowMs) sent.shift();
      if (sent.length < budget) {
        sent.push(at);
        return;
      }
      await sleep((sent[0] as number) + windowMs - at);
    }
  }

  return {
    take() {
      const turn = queue.then(admit);
      // A rejected sleep must not jam everyone behind it.
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
}

/** A pacer that never waits: the terminal, and tests that do not measure pacing. */
export const UNPACED: Pacer = { take: () => Promise.resolve() };
