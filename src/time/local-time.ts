/**
 * Wall-clock time in IANA zones with nothing but Intl: parsing `HH:MM`, the local date at an
 * instant, and the instant a zone's clock shows a local time. Daily digests and subscription
 * DMs are scheduled on it.
 *
 * DST rules (no second post, none lost):
 * - skipped hour (spring forward): a time that never appears on the wall clock is due at the
 *   first instant after the gap, i.e. the transition itself (02:30 -> 03:00 local);
 * - repeated hour (fall back): the first of the two instants.
 */
import { UserError } from '../errors.ts';

const DAY_MS = 86_400_000;

// Building a DateTimeFormat costs far more than using one, and runDue formats every digest's
// zone every minute; one formatter per zone, bounded by the number of IANA zones.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The zone's wall clock at `instant`, expressed as if it were UTC (epoch ms, whole seconds). */
function wallClockAsUtc(instant: number, timeZone: string): number {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = fields;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

function offsetAt(instant: number, timeZone: string): number {
  const wholeSecond = instant - (((instant % 1000) + 1000) % 1000);
  return wallClockAsUtc(wholeSecond, timeZone) - wholeSecond;
}

/** True when Intl knows the IANA zone name. */
export function isValidTimeZone(timeZone: string): boolean {
  if (timeZone.trim() === '') return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The canonical spelling of a zone (`europe/berlin` -> `Europe/Berlin`); UserError when unknown. */
export function normalizeTimeZone(timeZone: string): string {
  const trimmed = timeZone.trim();
  if (!isValidTimeZone(trimmed)) {
    throw new UserError(
      `"${trimmed}" is not a timezone I know. Use an IANA name such as Europe/Berlin, America/New_York or UTC.`,
    );
  }
  return formatterFor(trimmed).resolvedOptions().timeZone;
}

export interface LocalTime {
  hour: number;
  minute: number;
  /** Normalized `HH:MM`. */
  text: string;
}

/** Parses a 24-hour `HH:MM` (or `H:MM`); UserError with an example otherwise. */
export function parseTime(input: string): LocalTime {
  const match = /^(\d{1,2}):(\d{2})$/.exec(input.trim());
  const hour = match ? Number(match[1]) : NaN;
  const minute = match ? Number(match[2]) : NaN;
  if (!(hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59)) {
    throw new UserError(
      `"${input.trim()}" is not a time of day. Use 24-hour HH:MM, for example 08:00 or 17:30.`,
    );
  }
  return { hour, minute, text: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}` };
}

function parseLocalDate(localDate: string): [number, number, number] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(localDate);
  if (!match) throw new Error(`not a YYYY-MM-DD date: ${localDate}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** The zone's local date at `instant`, `YYYY-MM-DD`. */
export function localDateOf(instant: number, timeZone: string): string {
  return new Date(wallClockAsUtc(instant, timeZone)).toISOString().slice(0, 10);
}

/** Calendar arithmetic on a `YYYY-MM-DD` date (no zone involved). */
export function addDays(localDate: string, days: number): string {
  const [year, month, day] = parseLocalDate(localDate);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/**
 * The instant the zone's wall clock first shows `localDate` at `hour:minute`; in a skipped
 * stretch, the first instant after it.
 */
export function zonedInstant(localDate: string, hour: number, minute: number, timeZone: string): number {
  const [year, month, day] = parseLocalDate(localDate);
  const target = Date.UTC(year, month - 1, day, hour, minute);
  // The offsets in force a day either side bracket every offset the target can have
  // (zones change offset at most once a day).
  const offsets = [...new Set([-DAY_MS, 0, DAY_MS].map((delta) => offsetAt(target + delta, timeZone)))];
  const exact = offsets
    .map((offset) => target - offset)
    .filter((instant) => wallClockAsUtc(instant, timeZone) === target)
    .sort((a, b) => a - b);
  if (exact[0] !== undefined) return exact[0];

  // The target falls in a gap: find the transition, the first second the wall clock reads at or
  // past the target. Across a forward jump the wall clock only grows, so bisection works.
  let lo = Math.floor((target - Math.max(...offsets)) / 1000);
  let hi = Math.ceil((target - Math.min(...offsets)) / 1000);
  if (wallClockAsUtc(lo * 1000, timeZone) >= target || wallClockAsUtc(hi * 1000, timeZone) < target) {
    return target - offsetAt(target, timeZone);
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallClockAsUtc(mid * 1000, timeZone) >= target) hi = mid;
    else lo = mid;
  }
  return hi * 1000;
}
