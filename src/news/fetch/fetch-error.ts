import { UserError } from '../../errors.ts';

/** Why a fetch was refused or failed; stable strings that callers and tests can branch on. */
export type FetchErrorCode =
  | 'bad-url'
  | 'bad-scheme'
  | 'blocked-address'
  | 'too-large'
  | 'timeout'
  | 'http-status'
  | 'bad-content-type'
  | 'bad-encoding'
  | 'too-many-redirects'
  | 'network';

/**
 * A fetch failure whose message is safe to show to whoever supplied the URL (a server admin
 * running /sources add, or the ingest report): it names the host and the reason in plain words
 * and never carries a stack, an errno or a resolved internal address. It is a UserError so the
 * dispatcher shows it as is; the low-level cause, when there is one, stays on `cause` for logs.
 */
export class FetchError extends UserError {
  readonly code: FetchErrorCode;
  /** The HTTP status for 'http-status' failures. */
  readonly status?: number;

  constructor(code: FetchErrorCode, message: string, extra: { status?: number; cause?: unknown } = {}) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.code = code;
    if (extra.status !== undefined) this.status = extra.status;
  }
}

export function isFetchError(error: unknown): error is FetchError {
  return error instanceof FetchError;
}

/** Plain words for the socket and DNS errors a user can act on; everything else is "network". */
const networkReasons: Record<string, string> = {
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the name could not be resolved right now',
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was closed',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  HPE_INVALID_CONSTANT: 'the server sent a malformed response',
  HPE_HEADER_OVERFLOW: 'the server sent oversized headers',
};

/** Wraps a low-level error from node:http or the TLS layer into a presentable FetchError. */
export function networkError(host: string, cause: unknown): FetchError {
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : '';
  let reason = networkReasons[code];
  if (reason === undefined) {
    reason =
      code.startsWith('ERR_TLS') || /CERT|SSL/.test(code)
        ? 'its TLS certificate was not accepted'
        : code.startsWith('HPE_')
          ? 'the server sent a malformed response'
          : 'the connection failed';
  }
  return new FetchError('network', `Could not fetch from ${host}: ${reason}.`, { cause });
}
