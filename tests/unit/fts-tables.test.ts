import { describe, expect, it } from 'vitest';
import { passageOfRowid, passageRowid, passageSlots, SLOTS } from '../../src/brief/retrieval/fts-tables.ts';

describe('the answer index passage layout', () => {
  it('has each sentence and each two-sentence window of an article, in reading order', () => {
    expect(passageSlots(3, true)).toEqual([
      { slot: 0, start: 0, count: 1 },
      { slot: 1, start: 0, count: 2 },
      { slot: 2, start: 1, count: 1 },
      { slot: 3, start: 1, count: 2 },
      { slot: 4, start: 2, count: 1 },
    ]);
    expect(passageSlots(3, false).map((p) => p.slot)).toEqual([0, 2, 4]);
    expect(passageSlots(0, true)).toEqual([]);
  });

  it('encodes the article and the passage in the rowid, and reads them back', () => {
    const rowid = passageRowid(42, 7);
    expect(rowid).toBe(42 * SLOTS + 7);
    expect(passageOfRowid(rowid)).toEqual({ articleKey: 42, slot: 7, start: 3, count: 2 });
    expect(passageOfRowid(passageRowid(1, 0))).toEqual({ articleKey: 1, slot: 0, start: 0, count: 1 });
  });
});
