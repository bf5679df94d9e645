/** Lengths of time in milliseconds, for TTLs and windows. */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/**
 * How far a moment is from now, as a reader says it: "in 8 min", "3 h ago", "2 d ago" (minutes
 * up to an hour and a half, hours up to two days, then days). `deltaMs` is the moment minus now.
 */
export function relativeTime(deltaMs: number): string {
  const minutes = Math.round(Math.abs(deltaMs) / MINUTE_MS);
  const amount =
    minutes < 90
      ? `${minutes} min`
      : minutes < 48 * 60
        ? `${Math.round(minutes / 60)} h`
        : `${Math.round(minutes / 1440)} d`;
  return deltaMs >= 0 ? `in ${amount}` : `${amount} ago`;
}
