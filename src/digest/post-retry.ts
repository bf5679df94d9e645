/**
 * Posting one digest message through Discord's transient faults: a 429 is waited out for as
 * long as Discord asks, a 5xx (or a network error) is retried with exponential backoff. Both
 * stop when the caller says there is no more time (the slot's window or its claim). Every
 * attempt carries the same nonce, so a post that reached Discord before failing is not doubled.
 */
import { describeError } from '../errors.ts';
import { PostError, type ChannelPoster, type DigestLog, type OutgoingMessage } from './delivery-ports.ts';

export interface RetryPolicy {
  /** First 5xx backoff; doubles each time. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** 5xx retries per message before giving up for this run. */
  maxServerRetries: number;
  /** 429 waits per message; a bound in case a fake or broken clock never moves. */
  maxRateLimitWaits: number;
  /** Wait on a 429 without retry_after. */
  defaultRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  maxServerRetries: 8,
  maxRateLimitWaits: 50,
  defaultRetryAfterMs: 1_000,
};

export interface PostRetrier {
  /**
   * Posts and returns the message id; throws the last PostError when out of time or retries,
   * at once for permanent and 'other' faults. Errors that are not PostErrors count as 'other'.
   */
  post(
    channelId: string,
    message: OutgoingMessage,
    nonce: string,
    canWait: (ms: number) => boolean,
    context: object,
  ): Promise<string>;
}

export function createPostRetrier(deps: {
  poster: ChannelPoster;
  sleep: (ms: number) => Promise<void>;
  log: DigestLog;
  policy?: Partial<RetryPolicy>;
}): PostRetrier {
  const policy = { ...DEFAULT_RETRY_POLICY, ...deps.policy };
  return {
    async post(channelId, message, nonce, canWait, context) {
      let serverRetries = 0;
      let rateLimitWaits = 0;
      for (;;) {
        try {
          return (await deps.poster.post(channelId, message, { nonce })).messageId;
        } catch (error) {
          if (!(error instanceof PostError)) throw error;
          let waitMs: number;
          if (error.kind === 'rate-limited' && rateLimitWaits < policy.maxRateLimitWaits) {
            rateLimitWaits += 1;
            waitMs = error.retryAfterMs ?? policy.defaultRetryAfterMs;
          } else if (error.kind === 'server' && serverRetries < policy.maxServerRetries) {
            waitMs = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** serverRetries);
            serverRetries += 1;
          } else {
            throw error;
          }
          if (!canWait(waitMs)) throw error;
          deps.log.warn({ ...context, kind: error.kind, waitMs, err: describeError(error) }, 'digest post retrying');
          await deps.sleep(waitMs);
        }
      }
    },
  };
}
