/**
 * Sending through transient faults: a rate limit is waited out for as long as the platform
 * asks, a retry-later fault (5xx, network) is retried with exponential backoff. Both stop when
 * the caller says there is no more time (a digest slot's window, a claim's lifetime). Every
 * attempt carries the same idempotency key, so a post that reached Discord before failing is not
 * doubled. Anything else is thrown at once.
 */
import { describeError } from '../errors.ts';
import { DeliveryError } from './failure.ts';
import type { ServiceLog } from '../logger.ts';

export interface RetryPolicy {
  /** First retry-later backoff; doubles each time. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** retry-later retries per send before giving up for this run. */
  maxServerRetries: number;
  /** Rate-limit waits per send; a bound in case a fake or broken clock never moves. */
  maxRateLimitWaits: number;
  /** Wait on a rate limit that names no retry-after. */
  defaultRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  maxServerRetries: 8,
  maxRateLimitWaits: 50,
  defaultRetryAfterMs: 1_000,
};

export type DeliveryLog = ServiceLog;

export interface Retrier {
  /**
   * Runs `attempt` until it succeeds; throws the last DeliveryError when out of time or
   * retries, at once for faults waiting cannot fix. Errors that are not DeliveryErrors are
   * thrown as they are.
   */
  run<T>(attempt: () => Promise<T>, canWait: (ms: number) => boolean, context: object): Promise<T>;
}

export function createRetrier(deps: {
  sleep: (ms: number) => Promise<void>;
  log: DeliveryLog;
  policy?: Partial<RetryPolicy>;
}): Retrier {
  const policy = { ...DEFAULT_RETRY_POLICY, ...deps.policy };
  return {
    async run(attempt, canWait, context) {
      let serverRetries = 0;
      let rateLimitWaits = 0;
      for (;;) {
        try {
          return await attempt();
        } catch (error) {
          if (!(error instanceof DeliveryError)) throw error;
          let waitMs: number;
          if (error.kind === 'rate-limited' && rateLimitWaits < policy.maxRateLimitWaits) {
            rateLimitWaits += 1;
            waitMs = error.retryAfterMs ?? policy.defaultRetryAfterMs;
          } else if (error.kind === 'retry-later' && serverRetries < policy.maxServerRetries) {
            waitMs = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** serverRetries);
            serverRetries += 1;
          } else {
            throw error;
          }
          if (!canWait(waitMs)) throw error;
          deps.log.warn(
            { ...context, kind: error.kind, waitMs, err: describeError(error) },
            'delivery retrying',
          );
          await deps.sleep(waitMs);
        }
      }
    },
  };
}

export function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
