/**
 * Reading a producer's ledger entries where they used to be kept. Feeds once kept theirs in the
 * digests' namespace, and DMs in a sent list of their own; after an upgrade their ledgers start
 * empty, so a key the new namespace does not know is looked up in the old place and read as an
 * entry. Writes go to the new namespace only; forgetting a key forgets it in both.
 */
import type { LedgerEntry } from './ledger.ts';
import type { RecordStore } from '../store/types.ts';

export interface LegacyLedger {
  /** The old records, read with their own codec. */
  records: RecordStore<unknown>;
  /** The old record's key for a ledger key; undefined when the old place never held such keys. */
  keyOf(key: string): string | undefined;
  /** The old record as a ledger entry; undefined when it says nothing about delivery. */
  toEntry(key: string, record: unknown): LedgerEntry | undefined;
}

export function withLegacyEntries(
  records: RecordStore<LedgerEntry>,
  legacy: LegacyLedger,
): RecordStore<LedgerEntry> {
  return {
    async get(key) {
      const found = await records.get(key);
      if (found !== undefined) return found;
      const oldKey = legacy.keyOf(key);
      if (oldKey === undefined) return undefined;
      const old = await legacy.records.get(oldKey);
      return old === undefined ? undefined : legacy.toEntry(key, old);
    },
    set: (key, value, ttlMs) => records.set(key, value, ttlMs),
    async delete(key) {
      const oldKey = legacy.keyOf(key);
      const [deleted, deletedOld] = await Promise.all([
        records.delete(key),
        oldKey === undefined ? false : legacy.records.delete(oldKey),
      ]);
      return deleted || deletedOld;
    },
    entries: () => records.entries(),
  };
}
