/**
 * The one failure taxonomy of outbound delivery. Adapters throw only DeliveryError; producers
 * decide by its kind, never by a transport's own error classes:
 * - retry-later: a passing fault (5xx, network, timeout); the same message may go later.
 * - rate-limited: the platform asked Herald to wait `retryAfterMs`.
 * - destination-gone: the channel, thread, user or message is no more (Discord 10003, 10008, 10013).
 * - missing-permission: Herald may not post there (50001 missing access, 50013 missing permissions).
 * - dms-closed: the reader does not accept DMs from Herald (50007).
 * - rejected: refused for another reason (another 4xx); the same message would be refused again.
 * The first two are transient; the next three are about the destination and stay until someone
 * fixes it; `rejected` is about the message.
 */

export const deliveryFailureKinds = [
  'retry-later',
  'rate-limited',
  'destination-gone',
  'missing-permission',
  'dms-closed',
  'rejected',
] as const;
export type DeliveryFailureKind = (typeof deliveryFailureKinds)[number];

export interface DeliveryErrorDetails {
  /** For rate-limited: how long the platform asked to wait. */
  retryAfterMs?: number;
  /** The platform's error code (Discord JSON code) or HTTP status, for logs and reasons. */
  code?: number;
  /**
   * False when the message certainly did not arrive (the platform answered with an error, or
   * nothing was sent). True when it may have (no answer): without a nonce such a message must not
   * be sent again. Default: false when there is a code, true otherwise.
   */
  mayHaveArrived?: boolean;
  cause?: unknown;
}

/** Why a delivery failed, classified once, by the adapter that saw it. */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  readonly kind: DeliveryFailureKind;
  readonly retryAfterMs: number | undefined;
  readonly code: number | undefined;
  readonly mayHaveArrived: boolean;

  constructor(kind: DeliveryFailureKind, message: string, details: DeliveryErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = kind;
    this.retryAfterMs = details.retryAfterMs;
    this.code = details.code;
    this.mayHaveArrived = details.mayHaveArrived ?? details.code === undefined;
  }
}

export function isDeliveryError(error: unknown): error is DeliveryError {
  return error instanceof DeliveryError;
}

/** Waiting and trying the same message again may succeed. */
export function isTransientFailure(kind: DeliveryFailureKind): boolean {
  return kind === 'retry-later' || kind === 'rate-limited';
}

/** The destination itself is broken until someone fixes it: stop posting there and say so. */
export function isDestinationFailure(kind: DeliveryFailureKind): boolean {
  return kind === 'destination-gone' || kind === 'missing-permission' || kind === 'dms-closed';
}

/** Discord's JSON error codes the taxonomy knows. */
export const DISCORD_ERROR_CODES = Object.freeze({
  unknownChannel: 10003,
  unknownGuild: 10004,
  unknownMessage: 10008,
  unknownUser: 10013,
  missingAccess: 50001,
  cannotDmUser: 50007,
  missingPermissions: 50013,
});

const GONE: ReadonlySet<number> = new Set([
  DISCORD_ERROR_CODES.unknownChannel,
  DISCORD_ERROR_CODES.unknownGuild,
  DISCORD_ERROR_CODES.unknownMessage,
  DISCORD_ERROR_CODES.unknownUser,
]);

/**
 * Classifies a failed platform request. `status` is the HTTP status (absent: no answer at all,
 * a network failure or timeout), `code` the JSON error code. Pure, so both adapters and tests
 * share it.
 */
export function classifyFailure(failure: {
  status?: number;
  code?: number;
  retryAfterMs?: number;
  message?: string;
  cause?: unknown;
  /** Set when the request certainly never left (e.g. opening a DM channel failed). */
  surelyUndelivered?: boolean;
}): DeliveryError {
  const { status, code } = failure;
  const answered = status !== undefined || code !== undefined;
  const details: DeliveryErrorDetails = {
    ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }),
    ...(code === undefined ? (status === undefined ? {} : { code: status }) : { code }),
    ...(failure.cause === undefined ? {} : { cause: failure.cause }),
    mayHaveArrived: !answered && failure.surelyUndelivered !== true,
  };
  const text = failure.message ?? `request failed (${status ?? 'network'}${code ? `/${code}` : ''})`;
  if (code !== undefined && GONE.has(code)) return new DeliveryError('destination-gone', text, details);
  if (code === DISCORD_ERROR_CODES.missingAccess || code === DISCORD_ERROR_CODES.missingPermissions) {
    return new DeliveryError('missing-permission', text, details);
  }
  if (code === DISCORD_ERROR_CODES.cannotDmUser)
    return new DeliveryError('dms-closed', 'the user does not accept DMs', details);
  if (status === 429) return new DeliveryError('rate-limited', text, details);
  if (status === undefined || status >= 500) return new DeliveryError('retry-later', text, details);
  return new DeliveryError('rejected', text, details);
}
