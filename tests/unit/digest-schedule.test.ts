import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.ts';
import { dueSlots, missedSlots, planSlots, slotFor } from '../../src/digest/schedule.ts';
import {
  addDays,
  isValidTimeZone,
  localDateOf,
  normalizeTimeZone,
  parseTime,
} from '../../src/time/local-time.ts';
import type { DigestConfig } from '../../src/digest/digest-types.ts';
import { digestConfig as digest } from '../support/digest-stories.ts';

const at = (iso: string): number => Date.parse(iso);
const HOUR = 3_600_000;

/** Every minute from `from` to `to`: the ticks at which the digest's slot for `date` is due. */
function dueTicks(d: DigestConfig, fromIso: string, toIso: string, graceMs: number): Array<[string, number]> {
  const ticks: Array<[string, number]> = [];
  for (let now = at(fromIso); now <= at(toIso); now += 60_000) {
    for (const planned of dueSlots([d], now, { graceMs })) ticks.push([planned.slot, planned.dueAt]);
  }
  return ticks;
}

describe('slotFor on ordinary days', () => {
  it('is due when the local clock shows the time, in winter and in summer', () => {
    expect(slotFor(digest(), '2025-01-15')).toEqual({
      slot: 'd1:2025-01-15',
      dueAt: at('2025-01-15T07:00:00Z'),
    });
    expect(slotFor(digest(), '2025-07-15').dueAt).toBe(at('2025-07-15T06:00:00Z'));
    const ny = digest({ timezone: 'America/New_York', time: '17:45' });
    expect(slotFor(ny, '2025-01-15').dueAt).toBe(at('2025-01-15T22:45:00Z'));
    expect(slotFor(ny, '2025-07-15').dueAt).toBe(at('2025-07-15T21:45:00Z'));
  });

  it('keeps midnight on its own local date', () => {
    expect(slotFor(digest({ time: '00:00' }), '2025-03-01').dueAt).toBe(at('2025-02-28T23:00:00Z'));
    expect(localDateOf(at('2025-02-28T23:00:00Z'), 'Europe/Berlin')).toBe('2025-03-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
  });
});

describe('Europe/Berlin DST edges', () => {
  it('posts a time in the skipped hour at 03:00 local, the first instant after the gap', () => {
    // 2025-03-30 02:00 CET jumps to 03:00 CEST (01:00 UTC).
    expect(slotFor(digest({ time: '02:30' }), '2025-03-30').dueAt).toBe(at('2025-03-30T01:00:00Z'));
    expect(slotFor(digest({ time: '02:00' }), '2025-03-30').dueAt).toBe(at('2025-03-30T01:00:00Z'));
    expect(slotFor(digest({ time: '03:00' }), '2025-03-30').dueAt).toBe(at('2025-03-30T01:00:00Z'));
    expect(slotFor(digest({ time: '01:59' }), '2025-03-30').dueAt).toBe(at('2025-03-30T00:59:00Z'));
    expect(slotFor(digest(), '2025-03-30').dueAt).toBe(at('2025-03-30T06:00:00Z'));
  });

  it('is not lost: a minute-by-minute run through the gap sees the slot due exactly from 03:00', () => {
    const ticks = dueTicks(
      digest({ time: '02:30' }),
      '2025-03-29T23:00:00Z',
      '2025-03-30T02:00:00Z',
      30 * 60_000,
    );
    expect(ticks[0]).toEqual(['d1:2025-03-30', at('2025-03-30T01:00:00Z')]);
    expect(new Set(ticks.map(([slot]) => slot))).toEqual(new Set(['d1:2025-03-30']));
  });

  it('posts a time in the repeated hour at its first occurrence only', () => {
    // 2025-10-26 03:00 CEST falls back to 02:00 CET (01:00 UTC); 02:30 happens at 00:30 and 01:30 UTC.
    const d = digest({ time: '02:30' });
    expect(slotFor(d, '2025-10-26').dueAt).toBe(at('2025-10-26T00:30:00Z'));
    const ticks = dueTicks(d, '2025-10-25T22:00:00Z', '2025-10-26T04:00:00Z', 6 * HOUR);
    expect(new Set(ticks.map(([slot, dueAt]) => `${slot}@${dueAt}`))).toEqual(
      new Set([`d1:2025-10-26@${at('2025-10-26T00:30:00Z')}`]),
    );
    expect(ticks[0]?.[1]).toBe(at('2025-10-26T00:30:00Z'));
  });
});

describe('America/New_York DST edges', () => {
  const ny = (time: string): DigestConfig => digest({ timezone: 'America/New_York', time });

  it('moves the skipped 02:30 to 03:00 EDT', () => {
    // 2025-03-09 02:00 EST jumps to 03:00 EDT (07:00 UTC).
    expect(slotFor(ny('02:30'), '2025-03-09').dueAt).toBe(at('2025-03-09T07:00:00Z'));
    expect(slotFor(ny('08:00'), '2025-03-09').dueAt).toBe(at('2025-03-09T12:00:00Z'));
    expect(slotFor(ny('08:00'), '2025-03-08').dueAt).toBe(at('2025-03-08T13:00:00Z'));
  });

  it('posts the repeated 01:30 once, at 01:30 EDT', () => {
    // 2025-11-02 02:00 EDT falls back to 01:00 EST (06:00 UTC); 01:30 happens at 05:30 and 06:30 UTC.
    expect(slotFor(ny('01:30'), '2025-11-02').dueAt).toBe(at('2025-11-02T05:30:00Z'));
    const ticks = dueTicks(ny('01:30'), '2025-11-02T04:00:00Z', '2025-11-02T08:00:00Z', 3 * HOUR);
    expect(new Set(ticks.map(([slot]) => slot))).toEqual(new Set(['d1:2025-11-02']));
    expect(ticks[0]?.[1]).toBe(at('2025-11-02T05:30:00Z'));
  });
});

describe('Australia/Sydney (southern hemisphere) DST edges', () => {
  const syd = (time: string): DigestConfig => digest({ timezone: 'Australia/Sydney', time });

  it('repeats 02:xx in April and skips it in October', () => {
    // 2025-04-06 03:00 AEDT falls back to 02:00 AEST; 2025-10-05 02:00 AEST jumps to 03:00 AEDT.
    expect(slotFor(syd('02:30'), '2025-04-06').dueAt).toBe(at('2025-04-05T15:30:00Z'));
    expect(slotFor(syd('02:30'), '2025-10-05').dueAt).toBe(at('2025-10-04T16:00:00Z'));
    expect(slotFor(syd('08:00'), '2025-10-05').dueAt).toBe(at('2025-10-04T21:00:00Z'));
  });
});

describe('dueSlots and missedSlots', () => {
  const now = at('2025-01-15T07:10:00Z'); // 08:10 in Berlin

  it('returns a slot due within grace, marked late once past a minute', () => {
    expect(dueSlots([digest()], at('2025-01-15T07:00:30Z'), { graceMs: HOUR })).toMatchObject([
      { slot: 'd1:2025-01-15', late: false },
    ]);
    expect(dueSlots([digest()], now, { graceMs: HOUR })).toMatchObject([
      { slot: 'd1:2025-01-15', late: true },
    ]);
    expect(dueSlots([digest()], at('2025-01-15T06:59:59Z'), { graceMs: HOUR })).toEqual([]);
  });

  it('puts a slot beyond grace in missed, and considers yesterday too', () => {
    const plan = planSlots([digest()], now, { graceMs: 5 * 60_000 });
    expect(plan.due).toEqual([]);
    expect(plan.missed.map((p) => p.slot)).toEqual(['d1:2025-01-14', 'd1:2025-01-15']);
    expect(
      missedSlots([digest({ lastSlot: 'd1:2025-01-14' })], now, { graceMs: 0 }).map((p) => p.slot),
    ).toEqual(['d1:2025-01-15']);
  });

  it('delivers yesterday late-night slot after midnight when still in grace', () => {
    const late = digest({ time: '23:50' });
    expect(dueSlots([late], at('2025-01-15T23:20:00Z'), { graceMs: HOUR }).map((p) => p.slot)).toEqual([
      'd1:2025-01-15',
    ]);
  });

  it('ignores disabled digests, slots already delivered and slots from before the digest existed', () => {
    expect(dueSlots([digest({ enabled: false })], now, { graceMs: HOUR })).toEqual([]);
    expect(dueSlots([digest({ lastSlot: 'd1:2025-01-15' })], now, { graceMs: HOUR })).toEqual([]);
    expect(planSlots([digest({ createdAt: '2025-01-15T07:05:00Z' })], now, { graceMs: HOUR })).toEqual({
      due: [],
      missed: [],
    });
  });

  it('orders due slots earliest first across zones', () => {
    const ny = digest({ id: 'ny', timezone: 'America/New_York', time: '01:55' });
    const planned = dueSlots([digest(), ny], now, { graceMs: 2 * HOUR });
    expect(planned.map((p) => p.slot)).toEqual(['ny:2025-01-15', 'd1:2025-01-15']);
  });
});

describe('bad input', () => {
  it('rejects impossible times with a message naming the input and the format', () => {
    for (const input of ['25:00', '12:60', '8', 'noon', '-1:00', '']) {
      expect(() => parseTime(input)).toThrow(UserError);
    }
    expect(() => parseTime('25:00')).toThrow(/"25:00" is not a time of day.*HH:MM.*08:00/);
    expect(parseTime('8:05')).toEqual({ hour: 8, minute: 5, text: '08:05' });
    expect(parseTime(' 23:59 ').text).toBe('23:59');
  });

  it('rejects unknown timezones and canonicalizes known ones', () => {
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(() => normalizeTimeZone('Mars/Olympus')).toThrow(UserError);
    expect(() => normalizeTimeZone('Mars/Olympus')).toThrow(
      /"Mars\/Olympus" is not a timezone.*Europe\/Berlin/,
    );
    expect(normalizeTimeZone('europe/berlin')).toBe('Europe/Berlin');
  });
});
