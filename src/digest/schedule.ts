/**
 * Daily digest slots: a digest has one slot per local date, due at the instant the digest's
 * timezone shows its `HH:MM` (see time/local-time.ts for skipped and repeated hours). A slot is
 * keyed by the local date, so a repeated hour never makes a second one.
 */
import { DAY_MS, MINUTE_MS } from '../time/durations.ts';
import { addDays, localDateOf, parseTime, zonedInstant } from '../time/local-time.ts';
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
