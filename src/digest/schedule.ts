/**
 * Local-time schedule math for daily digests, with nothing but Intl. A digest has one slot per
 * local date; the slot is due at the instant the digest's timezone shows its `HH:MM`.
 *
 * DST rules (the "no second post, none lost"):
 * - skipped hour (spring forward): a time that never appears on the wall clock is due at the
 *   first instant after the gap, i.e. the transition itself (02:30 -> 03:00 local);
 * - repeated hour (fall back): the first of the two instants, and since a slot is keyed by the
 *   local date there is no second one.
 */
import { UserError } from '../errors.ts';
import { DAY_MS, MINUTE_MS } from '../time.ts';
import type { DigestConfig } from './digest-types.ts';

/** The fields of a digest the schedule depends on. */
export type ScheduledDigest = Pick<DigestConfig, 'id' | 'time' | 'timezone' | 'enabled' | 'createdAt'> &
  Partial<Pick<DigestConfig, 'lastSlot'>>;

export interface Slot {
  /** `<digestId>:<YYYY-MM-DD>`: one per digest and local date, the exactly-once key. */
  slot: string;
  /** Epoch ms when the slot is due. */
  dueAt: number;
}

export interface PlannedSlot<D extends ScheduledDigest = DigestConfig> extends Slot {
  digest: D;
  /** The digest's local date of the slot, `YYYY-MM-DD`. */
  localDate: string;
  /** Due more than `lateAfterMs` ago: a catch-up delivery rather than an on-time one. */
  late: boolean;
}

export interface SlotWindowOptions {
  /** How long after its due time a slot may still be delivered. */
  graceMs: number;
  /** A due slot older than this counts as late (catch-up). Default: one minute, one cron tick. */
  lateAfterMs?: number;
}

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

/** The slot of `digest` on the local date `localDate`, and when it is due. */
export function slotFor(digest: Pick<DigestConfig, 'id' | 'time' | 'timezone'>, localDate: string): Slot {
  const { hour, minute } = parseTime(digest.time);
  return { slot: `${digest.id}:${localDate}`, dueAt: zonedInstant(localDate, hour, minute, digest.timezone) };
}

/** The local date a slot key is for (keys end in `YYYY-MM-DD`; ids may contain colons). */
export function slotDate(slot: string): string {
  return slot.slice(-10);
}

export interface SlotPlan<D extends ScheduledDigest> {
  /** Due now and within grace, earliest first. */
  due: PlannedSlot<D>[];
  /** Past grace and never delivered per the digest's hint: to log as skipped. */
  missed: PlannedSlot<D>[];
}

/**
 * Sorts the recent slots of enabled digests into due and missed. Considers today and yesterday
 * (local), more when the grace window is longer than a day. Slots due before the digest was
 * created, or on or before its `lastSlot`, are neither.
 */
export function planSlots<D extends ScheduledDigest>(
  digests: Iterable<D>,
  now: number,
  options: SlotWindowOptions,
): SlotPlan<D> {
  const lateAfterMs = options.lateAfterMs ?? MINUTE_MS;
  const lookbackDays = Math.max(1, Math.ceil(options.graceMs / DAY_MS));
  const plan: SlotPlan<D> = { due: [], missed: [] };
  for (const digest of digests) {
    if (!digest.enabled) continue;
    const createdAt = Date.parse(digest.createdAt);
    const deliveredThrough = digest.lastSlot ? slotDate(digest.lastSlot) : '';
    const today = localDateOf(now, digest.timezone);
    for (let back = lookbackDays; back >= 0; back -= 1) {
      const localDate = addDays(today, -back);
      if (localDate <= deliveredThrough) continue;
      const { slot, dueAt } = slotFor(digest, localDate);
      if (dueAt > now || dueAt < createdAt) continue;
      const age = now - dueAt;
      const planned = { digest, slot, dueAt, localDate, late: age > lateAfterMs };
      (age <= options.graceMs ? plan.due : plan.missed).push(planned);
    }
  }
  plan.due.sort((a, b) => a.dueAt - b.dueAt);
  return plan;
}

/** Every slot due at `now` within the grace window, earliest first. */
export function dueSlots<D extends ScheduledDigest>(
  digests: Iterable<D>,
  now: number,
  options: SlotWindowOptions,
): PlannedSlot<D>[] {
  return planSlots(digests, now, options).due;
}

/** Slots past the grace window that were not delivered (per `lastSlot`). */
export function missedSlots<D extends ScheduledDigest>(
  digests: Iterable<D>,
  now: number,
  options: SlotWindowOptions,
): PlannedSlot<D>[] {
  return planSlots(digests, now, options).missed;
}
