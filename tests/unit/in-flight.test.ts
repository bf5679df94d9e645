import { describe, expect, it } from 'vitest';
import { createInFlight } from '../../src/in-flight.ts';

/** A promise settled by hand. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: Error) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('work in flight', () => {
  it('idle waits for tracked work, a failed one included, and for work tracked while waiting', async () => {
    const inFlight = createInFlight();
    const first = deferred<number>();
    const failing = deferred<number>();
    const later = deferred<number>();
    expect(await inFlight.track(Promise.resolve(7))).toBe(7);
    void inFlight.track(first.promise);
    inFlight.track(failing.promise).catch(() => undefined);
    let idle = false;
    const waiting = inFlight.idle().then(() => {
      idle = true;
    });
    first.resolve(1);
    // Started while idle() waits: idle covers it too.
    void inFlight.track(later.promise);
    failing.reject(new Error('send failed'));
    await first.promise;
    await failing.promise.catch(() => undefined);
    expect(idle).toBe(false);
    later.resolve(2);
    await waiting;
    expect(idle).toBe(true);
  });

  it('idle resolves at once with nothing tracked', async () => {
    await expect(createInFlight().idle()).resolves.toBeUndefined();
  });
});
