/**
 * One pacer per process for everything Herald posts on its own (digests, feeds, DMs, notices):
 * Discord's global limit (50 requests a second per bot) counts all of them together, so they
 * queue in one place, in arrival order. Interaction replies do not pass through it (Discord
 * exempts them).
 *
 * Discord counts a request when it arrives, some time between Herald starting it and reading
 * the answer; a busy machine stretches that time unevenly, so counting start times alone lets
 * bursts through. The pacer therefore counts a request from its start until one window after
 * its answer: a new request may start only while fewer than the budget have an answer younger
 * than the window or none yet. Any one-second window at Discord then holds at most the budget.
 */

export interface Pacer {
  /** Runs `request` when the budget allows; it counts until a window after it settles. */
  run<T>(request: () => Promise<T>): Promise<T>;
  /** Waits for a turn for a request the caller makes at once; it counts as settled when it starts. */
  take(): Promise<void>;
}

/** A pacer whose budget can change while it runs (instances sharing one bot token split it). */
export interface AdjustablePacer extends Pacer {
  setPerSecond(perSecond: number): void;
  perSecond(): number;
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

/**
 * Discord's global limit is 50/s. Each request counts from its start until a window after its
 * answer, so Discord never sees more than this in any second of its own; 48 leaves two for a
 * request Discord's clock places differently.
 */
export const DISCORD_PACE_PER_SECOND = 48;

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function createPacer(options: PacerOptions): AdjustablePacer {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const windowMs = options.windowMs ?? 1000;
  let perSecond = options.perSecond;
  let budget = budgetFor(perSecond);
  function budgetFor(rate: number): number {
    return Math.max(1, Math.floor(rate * (windowMs / 1000)));
  }
  // When each counted request settled (undefined: still in flight), oldest first.
  const counted: { settledAt: number | undefined }[] = [];
  let queue: Promise<void> = Promise.resolve();
  let settled: () => void = () => {};
  let nextSettle = new Promise<void>((resolve) => (settled = resolve));

  /** Wakes every waiting admit() to look again. */
  function wakeWaiters(): void {
    const wake = settled;
    nextSettle = new Promise<void>((resolve) => (settled = resolve));
    wake();
  }

  function onSettle(entry: { settledAt: number | undefined }): void {
    entry.settledAt = now();
    wakeWaiters();
  }

  async function admit(): Promise<{ settledAt: number | undefined }> {
    for (;;) {
      const at = now();
      for (let i = counted.length - 1; i >= 0; i--) {
        const settledAt = counted[i]?.settledAt;
        if (settledAt !== undefined && settledAt <= at - windowMs) counted.splice(i, 1);
      }
      if (counted.length < budget) {
        const entry = { settledAt: undefined as number | undefined };
        counted.push(entry);
        return entry;
      }
      const ages = counted.flatMap((entry) =>
        entry.settledAt === undefined ? [] : [entry.settledAt + windowMs - at],
      );
      // Wait for the oldest answer to leave the window, or for a request in flight to settle.
      const waits: Promise<void>[] = [nextSettle];
      if (ages.length > 0) waits.push(sleep(Math.max(1, Math.min(...ages))));
      await Promise.race(waits);
    }
  }

  function turn(): Promise<{ settledAt: number | undefined }> {
    const mine = queue.then(admit);
    // A failed wait must not jam everyone behind it.
    queue = mine.then(
      () => undefined,
      () => undefined,
    );
    return mine;
  }

  return {
    async run(request) {
      const entry = await turn();
      try {
        return await request();
      } finally {
        onSettle(entry);
      }
    },
    async take() {
      onSettle(await turn());
    },
    setPerSecond(rate) {
      perSecond = rate;
      budget = budgetFor(rate);
      // A waiting request re-checks against the new budget at once.
      wakeWaiters();
    },
    perSecond: () => perSecond,
  };
}

/** A pacer that never waits: the terminal, and tests that do not measure pacing. */
export const UNPACED: Pacer = { run: (request) => request(), take: () => Promise.resolve() };
