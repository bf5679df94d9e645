/**
 * Every store call bounded in time, and the store's health known to whoever asks.
 *
 * A Redis that is down, on the wrong port or paused (CLIENT PAUSE) does not fail a command: the
 * client queues it and waits. Without a bound, `brief` hung for minutes with no message. Here
 * each call races a timer; a call that loses throws StoreUnavailableError, a UserError with a
 * line meant for people ("the store at … is not answering"), so the command line prints one
 * line and exits non-zero, and Discord shows the line instead of a generic failure.
 *
 * Writes that fail because the disk is full or the store is read-only (SQLITE_FULL,
 * SQLITE_READONLY, Redis OOM/READONLY) mark the store as not writable, so readers can be told
 * plainly that new items cannot be saved while they are answered from what is stored.
 */
import { StoreUnavailableError } from './settle-within.ts';
import type { StoreBackend } from './backend.ts';
import type { FieldIndex } from './field-index.ts';
import type { RecordCodec } from './record-store.ts';
import type { ClaimStore, RecordStore } from './types.ts';

export { StoreUnavailableError };

export interface StoreHealth {
  /** False from a timed-out call until the next call that succeeds. */
  answering: boolean;
  /** False from a write refused for lack of space or permission until the next write that succeeds. */
  writable: boolean;
  /** ISO time of the first failure of the current problem, if any. */
  since?: string;
  /** What went wrong last, for logs and /status. */
  problem?: string;
}

export interface GuardedStoreBackend extends StoreBackend {
  health(): StoreHealth;
}

export interface StoreTimeoutOptions {
  /** Longest wait for one store call. */
  timeoutMs: number;
  now?: () => number;
  /** Told when the store stops or starts answering, or stops accepting writes. */
  onChange?: (health: StoreHealth) => void;
}

/** Errors that mean "no room or no permission to write", from SQLite, the OS or Redis. */
const WRITE_REFUSED =
  /SQLITE_FULL|SQLITE_READONLY|SQLITE_IOERR|ENOSPC|EROFS|EACCES|READONLY|OOM command not allowed|database or disk is full|readonly database/i;

/** SQLite's primary result codes for "full", "read-only" and "I/O error" (node:sqlite's errcode). */
const SQLITE_REFUSING_CODES = new Set([13, 8, 10]);

export function isWriteRefused(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, errcode } = error as Error & { code?: unknown; errcode?: unknown };
  // An extended code (SQLITE_IOERR_WRITE = 778) keeps its primary code in the low byte.
  if (typeof errcode === 'number' && SQLITE_REFUSING_CODES.has(errcode & 0xff)) return true;
  return WRITE_REFUSED.test(`${typeof code === 'string' ? code : ''} ${error.message}`);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Wraps a backend so every call is bounded by `timeoutMs` and failures are tracked. */
export function withStoreTimeouts(backend: StoreBackend, options: StoreTimeoutOptions): GuardedStoreBackend {
  const now = options.now ?? Date.now;
  // A store opened read-only refuses every write from the start: readers are told at once.
  let health: StoreHealth = backend.sqlite?.readOnly
    ? {
        answering: true,
        writable: false,
        since: new Date(now()).toISOString(),
        problem: `new items cannot be saved: the store file ${backend.location} is read-only`,
      }
    : { answering: true, writable: true };

  function update(next: StoreHealth): void {
    const changed = next.answering !== health.answering || next.writable !== health.writable;
    health = next;
    if (changed) options.onChange?.(health);
  }

  function failed(kind: 'timeout' | 'write', problem: string): void {
    const since = health.since ?? new Date(now()).toISOString();
    update({
      ...health,
      ...(kind === 'timeout' ? { answering: false } : { writable: false }),
      since,
      problem,
    });
  }

  function succeeded(write: boolean): void {
    if (health.answering && (health.writable || !write)) return;
    const next: StoreHealth = { answering: true, writable: write ? true : health.writable };
    if (!next.writable && health.since !== undefined) next.since = health.since;
    if (!next.writable && health.problem !== undefined) next.problem = health.problem;
    update(next);
  }

  async function bounded<T>(what: string, write: boolean, call: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        const message = `the ${backend.kind} store at ${backend.location} is not answering (${what} took over ${Math.round(options.timeoutMs / 100) / 10} s)`;
        failed('timeout', message);
        reject(new StoreUnavailableError(`${message}; try again shortly`));
      }, options.timeoutMs);
      timer.unref();
    });
    try {
      const result = await Promise.race([call(), timeout]);
      succeeded(write);
      return result;
    } catch (error) {
      if (write && isWriteRefused(error)) failed('write', `new items cannot be saved: ${describe(error)}`);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  function guardRecords<T>(namespace: string, store: RecordStore<T>): RecordStore<T> {
    return {
      get: (key) => bounded(`reading ${namespace}`, false, () => store.get(key)),
      set: (key, value, ttlMs) => bounded(`writing ${namespace}`, true, () => store.set(key, value, ttlMs)),
      delete: (key) => bounded(`deleting from ${namespace}`, true, () => store.delete(key)),
      entries: () => ({
        [Symbol.asyncIterator]() {
          const iterator = store.entries()[Symbol.asyncIterator]();
          return {
            next: () => bounded(`listing ${namespace}`, false, () => iterator.next()),
            return: async (value?: unknown) =>
              iterator.return ? await iterator.return(value) : { done: true as const, value: undefined },
          };
        },
      }),
    };
  }

  function guardFieldIndex(open: (namespace: string, field: string) => FieldIndex) {
    return (namespace: string, field: string): FieldIndex => {
      const index = open(namespace, field);
      const upkeep = index.upkeep;
      return {
        keysBelow: (value) => bounded(`reading the ${namespace} index`, false, () => index.keysBelow(value)),
        ...(upkeep === undefined
          ? {}
          : {
              upkeep: {
                track: (key, value) =>
                  bounded(`writing the ${namespace} index`, true, () => upkeep.track(key, value)),
                untrack: (key) => bounded(`writing the ${namespace} index`, true, () => upkeep.untrack(key)),
                filled: () => bounded(`reading the ${namespace} index`, false, () => upkeep.filled()),
                markFilled: () => bounded(`writing the ${namespace} index`, true, () => upkeep.markFilled()),
              },
            }),
      };
    };
  }

  const tokenOf = backend.claims.tokenOf?.bind(backend.claims);
  const claims: ClaimStore = {
    claim: (key, ttlMs, holder) => bounded('claiming', true, () => backend.claims.claim(key, ttlMs, holder)),
    ...(tokenOf === undefined
      ? {}
      : { tokenOf: (key: string) => bounded('reading a claim', false, () => tokenOf(key)) }),
    release: (key, token) => bounded('releasing a claim', true, () => backend.claims.release(key, token)),
  };

  return {
    kind: backend.kind,
    location: backend.location,
    records<T>(namespace: string, codec: RecordCodec<T>) {
      return guardRecords(namespace, backend.records(namespace, codec));
    },
    ...(backend.fieldIndex === undefined
      ? {}
      : { fieldIndex: guardFieldIndex(backend.fieldIndex.bind(backend)) }),
    claims,
    sweepExpired: () => bounded('sweeping expired records', true, () => backend.sweepExpired()),
    // A batch's own writes are bounded one by one; the batch as a whole may take as long as they do.
    // Its commit is a write of its own: a full disk or a read-only file refuses it there.
    batch: async (work) => {
      try {
        return await backend.batch(work);
      } catch (error) {
        if (isWriteRefused(error)) failed('write', `new items cannot be saved: ${describe(error)}`);
        throw error;
      }
    },
    atomicBatches: backend.atomicBatches,
    storyChanges: {
      append: (storyIds) =>
        bounded('logging story changes', true, () => backend.storyChanges.append(storyIds)),
      readSince: (cursor, limit) =>
        bounded('reading story changes', false, () => backend.storyChanges.readSince(cursor, limit)),
      prune: (cursor) => bounded('pruning story changes', true, () => backend.storyChanges.prune(cursor)),
      head: () => bounded('reading story changes', false, () => backend.storyChanges.head()),
    },
    ...(backend.sqlite === undefined ? {} : { sqlite: backend.sqlite }),
    ...(backend.namespaces === undefined ? {} : { namespaces: backend.namespaces }),
    ...(backend.redis === undefined ? {} : { redis: backend.redis }),
    async close() {
      // A store that stopped answering must not keep the process from ending.
      await Promise.race([
        backend.close(),
        new Promise<void>((resolve) => setTimeout(resolve, options.timeoutMs).unref()),
      ]);
    },
    health: () => ({ ...health }),
  };
}

/** The line readers are shown while the store refuses writes; undefined when all is well. */
export function storeNotice(health: StoreHealth): string | undefined {
  if (!health.answering) return '⚠️ The news store is not answering right now; Herald keeps retrying.';
  if (!health.writable && health.problem !== undefined && /read-?only/i.test(health.problem))
    return '⚠️ Herald cannot save new items: its store is read-only. This is what it already has.';
  if (!health.writable)
    return '⚠️ Herald cannot save new items right now (its store is full or read-only): this is what it already has.';
  return undefined;
}

export interface RetryOptions {
  /** Called before each wait with the attempt number, the wait and the error. */
  onRetry: (attempt: number, waitMs: number, error: unknown) => void;
  sleep?: (ms: number) => Promise<void>;
  /** Only errors this accepts are retried (default: the store did not answer); others are thrown at once. */
  retryable?: (error: unknown) => boolean;
  firstWaitMs?: number;
  maxWaitMs?: number;
}

/** Runs `open` until it succeeds, waiting 1 s, 2 s, 4 s … (at most a minute) between tries. */
export async function retryWithBackoff<T>(open: () => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let wait = options.firstWaitMs ?? 1_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await open();
    } catch (error) {
      if (!(options.retryable ?? ((e: unknown) => e instanceof StoreUnavailableError))(error)) throw error;
      options.onRetry(attempt, wait, error);
      await sleep(wait);
      wait = Math.min(wait * 2, options.maxWaitMs ?? 60_000);
    }
  }
}
