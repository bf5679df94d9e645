// Waiting on something another process or socket will do (a gateway resume, a request), by
// polling a condition: never a fixed sleep that passes or fails by luck. The deadline only
// turns a hang into a readable failure; it is far above any honest wait on a loaded machine,
// so callers do not pass their own.

/** Longer than any wait a test should need, shorter than vitest's own test timeout. */
export const HANG_GUARD_MS = 45_000;

/** Resolves once `condition` holds; rejects with `what` after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  {
    timeoutMs = HANG_GUARD_MS,
    intervalMs = 10,
    what = 'condition',
  }: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
