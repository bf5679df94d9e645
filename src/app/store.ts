import type { HeraldConfig } from '../config/schema.ts';
import type { Logger } from '../logger.ts';
import { createStoreBackend, type StoreBackend } from '../store/backend.ts';
import { withStoreTimeouts, type GuardedStoreBackend } from '../store/timeouts.ts';

/**
 * Opens the configured store (STORE_URL) with every call bounded in time: Redis 5 s; SQLite
 * waits up to 10 s on a lock, so longer. `wrap` lets tests put a fault-injecting layer between.
 */
export async function openStore(options: {
  config: HeraldConfig;
  log: Logger;
  now: () => number;
  keyPrefix: string | undefined;
  wrap: ((backend: StoreBackend) => StoreBackend) | undefined;
}): Promise<GuardedStoreBackend> {
  const { log, now, keyPrefix } = options;
  const opened = await createStoreBackend({
    url: options.config.env.STORE_URL,
    now,
    ...(keyPrefix ? { keyPrefix } : {}),
    onDamagedRecord: (error) =>
      log.error(
        { problem: error.message },
        'store damage: a record was left out of what is read (npm start -- store doctor lists and moves such records)',
      ),
  });
  const backend = options.wrap ? options.wrap(opened) : opened;
  return withStoreTimeouts(backend, {
    timeoutMs: backend.kind === 'sqlite' ? 15_000 : 5_000,
    now,
    onChange: (health) => {
      if (!health.answering)
        log.warn(
          { problem: health.problem },
          'store not answering; store calls fail until it is back (the client reconnects with backoff)',
        );
      else if (!health.writable)
        log.error({ problem: health.problem }, 'store refuses writes; answering from what is stored');
      else log.info('store answering and writable again');
    },
  });
}
