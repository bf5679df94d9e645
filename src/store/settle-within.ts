import { UserError } from '../errors.ts';

/** The store did not answer in time, or cannot be reached. */
export class StoreUnavailableError extends UserError {}

/**
 * Resolves with `work` if it settles within `ms`; otherwise calls `giveUp` (to stop a client
 * that would keep trying in the background) and throws StoreUnavailableError with `message`.
 */
export async function settleWithin<T>(
  work: Promise<T>,
  ms: number,
  message: string,
  giveUp: () => void,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      try {
        giveUp();
      } catch {
        // Already closing or closed: nothing more to stop.
      }
      reject(new StoreUnavailableError(message));
    }, ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
