// Maps whatever discord.js REST threw to the delivery layer's one taxonomy (src/delivery/failure.ts).
import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { describeError } from '../errors.ts';
import { classifyFailure, DeliveryError } from '../delivery/failure.ts';

export function toDeliveryError(error: unknown, options: { surelyUndelivered?: boolean } = {}): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const extra = options.surelyUndelivered ? { surelyUndelivered: true } : {};
  if (error instanceof DiscordAPIError) {
    const code = typeof error.code === 'number' ? error.code : Number(error.code) || undefined;
    return classifyFailure({ status: error.status, ...(code === undefined ? {} : { code }), message: error.message, cause: error, ...extra });
  }
  if (error instanceof RateLimitError) {
    return classifyFailure({ status: 429, retryAfterMs: error.retryAfter, message: error.message, cause: error, ...extra });
  }
  if (error instanceof HTTPError) return classifyFailure({ status: error.status, message: error.message, cause: error, ...extra });
  // No HTTP status at all: a network failure or timeout. Nonces make a retry safe.
  return classifyFailure({ message: describeError(error), cause: error, ...extra });
}
