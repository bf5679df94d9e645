// Injected failures and the optional global rate limit. A 429 carries the body and the headers
// @discordjs/rest reads (Retry-After, X-RateLimit-*; X-RateLimit-Global only when global), so
// discord.js waits and retries instead of throwing.

/** A failure to answer instead of the real route, for the next `times` matching requests. */
export interface FaultSpec {
  /** Only requests with this method (any when omitted). */
  method?: string;
  /** Tested against the path without /api/v10, e.g. /^\/channels\/\d+\/messages$/. */
  pathPattern: RegExp;
  status: 429 | 500 | 502 | 503 | 403 | 404;
  /** Discord's JSON error code (50013, 10003, 50001, 50007, ...); a sensible one per status by default. */
  code?: number;
  message?: string;
  /** Seconds, for 429 (fractions allowed so tests stay fast); default 0.05. */
  retryAfter?: number;
  /** For 429: a global rate limit rather than a per-route one. */
  global?: boolean;
  /** How many matching requests fail; default 1. */
  times?: number;
}

export interface FaultAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

const MESSAGES: Record<number, string> = {
  0: 'General error',
  10003: 'Unknown Channel',
  10004: 'Unknown Guild',
  10008: 'Unknown Message',
  10015: 'Unknown Webhook',
  10062: 'Unknown interaction',
  50001: 'Missing Access',
  50007: 'Cannot send messages to this user',
  50013: 'Missing Permissions',
};

const DEFAULT_CODE: Record<number, number> = { 403: 50013, 404: 10003 };

export function rateLimited(retryAfter: number, global: boolean): FaultAnswer {
  const headers: Record<string, string> = {
    'retry-after': String(retryAfter),
    'x-ratelimit-limit': global ? '50' : '5',
    'x-ratelimit-remaining': '0',
    'x-ratelimit-reset': String(Date.now() / 1000 + retryAfter),
    'x-ratelimit-reset-after': String(retryAfter),
    'x-ratelimit-bucket': 'fake-bucket',
    'x-ratelimit-scope': global ? 'global' : 'user',
  };
  if (global) headers['x-ratelimit-global'] = 'true';
  return {
    status: 429,
    body: { message: 'You are being rate limited.', retry_after: retryAfter, global },
    headers,
  };
}

export function faultAnswer(fault: FaultSpec): FaultAnswer {
  if (fault.status === 429) return rateLimited(fault.retryAfter ?? 0.05, fault.global === true);
  if (fault.status >= 500) {
    return {
      status: fault.status,
      body: { code: fault.code ?? 0, message: fault.message ?? `${fault.status}: Server Error` },
      headers: {},
    };
  }
  const code = fault.code ?? DEFAULT_CODE[fault.status] ?? 0;
  return {
    status: fault.status,
    body: { code, message: fault.message ?? MESSAGES[code] ?? 'Error' },
    headers: {},
  };
}

/** The queue of injected faults; `take` consumes one use of the first that matches. */
export interface FaultQueue {
  add(fault: FaultSpec): void;
  clear(): void;
  take(method: string, path: string): FaultSpec | undefined;
}

export function createFaultQueue(): FaultQueue {
  let faults: { spec: FaultSpec; left: number }[] = [];
  return {
    add(spec) {
      faults.push({ spec, left: spec.times ?? 1 });
    },
    clear() {
      faults = [];
    },
    take(method, path) {
      const found = faults.find(
        ({ spec }) =>
          (spec.method === undefined || spec.method.toUpperCase() === method) && spec.pathPattern.test(path),
      );
      if (found === undefined) return undefined;
      found.left -= 1;
      if (found.left <= 0) faults = faults.filter((fault) => fault !== found);
      return found.spec;
    },
  };
}

/**
 * A sliding one-second window over real time (not the fake clock, which tests may freeze or
 * jump). Returns the seconds to wait when the request is over the limit, or 0 to let it pass.
 */
export function createGlobalLimiter(perSecond: number): { admit(): number } {
  const stamps: number[] = [];
  return {
    admit() {
      const now = Date.now();
      while (stamps.length > 0 && (stamps[0] ?? 0) <= now - 1000) stamps.shift();
      if (stamps.length >= perSecond) return Math.max(0.001, ((stamps[0] ?? now) + 1000 - now) / 1000);
      stamps.push(now);
      return 0;
    },
  };
}
