/**
 * A consecutive-failure circuit breaker. Closed: calls pass and failures are counted. After
 * `failureThreshold` failures in a row it opens: calls are refused at once (no network, no
 * wait) until `cooldownMs` has passed; then it half-opens and lets one trial call through,
 * which closes it on success or opens it for another cooldown on failure.
 */
export interface CircuitBreakerOptions {
  failureThreshold: number;
  cooldownMs: number;
  now?: () => number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface CircuitBreaker {
  state(): BreakerState;
  /** Runs `task` unless the breaker is open; records its outcome. */
  run<T>(task: () => Promise<T>): Promise<T>;
}

export class CircuitOpenError extends Error {
  override name = 'CircuitOpenError';
}

export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const now = options.now ?? Date.now;
  let failures = 0;
  let openedAt: number | undefined;
  let trialInFlight = false;

  function state(): BreakerState {
    if (openedAt === undefined) return 'closed';
    return now() - openedAt >= options.cooldownMs ? 'half-open' : 'open';
  }

  return {
    state,
    async run<T>(task: () => Promise<T>): Promise<T> {
      const current = state();
      if (current === 'open' || (current === 'half-open' && trialInFlight)) {
        throw new CircuitOpenError('model circuit breaker is open');
      }
      const trial = current === 'half-open';
      if (trial) trialInFlight = true;
      try {
        const result = await task();
        failures = 0;
        openedAt = undefined;
        return result;
      } catch (error) {
        failures++;
        if (trial || failures >= options.failureThreshold) openedAt = now();
        throw error;
      } finally {
        if (trial) trialInFlight = false;
      }
    },
  };
}
