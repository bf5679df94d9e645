import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createStoreBackend, type StoreBackend } from '../../src/store/backend.ts';
import { createSqliteClaimStore } from '../../src/store/claims.ts';
import { openSqliteDatabase } from '../../src/store/sqlite-database.ts';
import { StoreReadError, type RecordCodec } from '../../src/store/record-store.ts';
import type { RecordStore } from '../../src/store/types.ts';
import { createMemoryClaimStore, createMemoryRecordStore } from '../support/memory-stores.ts';
import { createMemoryChangeLog } from '../../src/store/change-log.ts';

// One contract, every backend: what the services rely on must hold for memory, a SQLite file
// and Redis alike. Redis runs where REDIS_URL is set (CI sets it).
const noteV2 = z.object({ title: z.string(), tags: z.array(z.string()) });
type Note = z.infer<typeof noteV2>;
const noteCodec: RecordCodec<Note> = {
  version: 2,
  schema: noteV2,
  migrate: (data, from) => {
    if (from === 1) {
      const old = z.object({ title: z.string() }).parse(data);
      return { title: old.title, tags: [] };
    }
    throw new Error(`no migration from v${from}`);
  },
};
const noteV1Codec: RecordCodec<{ title: string }> = { version: 1, schema: z.object({ title: z.string() }) };

const tempDir = mkdtempSync(path.join(tmpdir(), 'herald-store-'));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

/**
 * The unit tests' in-memory fake, shaped as a backend so it is held to the same contract as
 * the stores it stands in for. It keeps values as given: schemas and migrations, and the
 * sweep of expired rows, are the real backends' business (the cases below that test them
 * return early for it, as `memory` does for reopening).
 */
function createFakeBackend(now: () => number): StoreBackend {
  const namespaces = new Map<string, RecordStore<unknown>>();
  return {
    kind: 'memory',
    location: 'test fake',
    records<T>(namespace: string) {
      if (!namespaces.has(namespace)) namespaces.set(namespace, createMemoryRecordStore<unknown>(now));
      return namespaces.get(namespace) as RecordStore<T>;
    },
    claims: createMemoryClaimStore(now),
    sweepExpired: () => Promise.resolve(0),
    batch: (work) => work(),
    atomicBatches: false,
    storyChanges: createMemoryChangeLog(),
    close: () => Promise.resolve(),
  };
}

interface BackendCase {
  name: string;
  url: () => string;
}
const cases: BackendCase[] = [
  { name: 'memory', url: () => 'memory://' },
  { name: 'sqlite', url: () => `sqlite://${path.join(tempDir, `${randomUUID()}.sqlite`)}` },
  { name: 'test fake', url: () => 'fake://' },
];
const redisUrl = process.env.REDIS_URL;
if (redisUrl) cases.push({ name: 'redis', url: () => redisUrl });
const isFake = (name: string): boolean => name === 'test fake';
const open = (url: string, now: () => number, keyPrefix: string): Promise<StoreBackend> =>
  url === 'fake://' ? Promise.resolve(createFakeBackend(now)) : createStoreBackend({ url, now, keyPrefix });

describe.each(cases)('store contract: $name', ({ name, url }) => {
  let clock = 1_700_000_000_000;
  const now = () => clock;
  let backend: StoreBackend;
  let storeUrl: string;
  let prefix: string;

  beforeEach(async () => {
    clock = 1_700_000_000_000;
    storeUrl = url();
    prefix = `test-${randomUUID()}`;
    backend = await open(storeUrl, now, prefix);
  });
  afterEach(async () => {
    await backend.close();
  });

  it('keeps values and returns undefined for keys never written', async () => {
    const notes = backend.records('notes', noteCodec);
    await notes.set('a', { title: 'Alpha', tags: ['x'] });
    expect(await notes.get('a')).toEqual({ title: 'Alpha', tags: ['x'] });
    expect(await notes.get('missing')).toBeUndefined();
    expect(await notes.delete('a')).toBe(true);
    expect(await notes.get('a')).toBeUndefined();
  });

  it("keeps what was stored, not the caller's object: changing either afterwards changes nothing", async () => {
    const notes = backend.records('notes', noteCodec);
    const written = { title: 'Alpha', tags: ['x'] };
    await notes.set('a', written);
    written.tags.push('changed after set');
    const read = await notes.get('a');
    read?.tags.push('changed after get');
    expect(await notes.get('a')).toEqual({ title: 'Alpha', tags: ['x'] });
  });

  it('expires a value after its TTL on the injected clock', async () => {
    const notes = backend.records('notes', noteCodec);
    await notes.set('short', { title: 'Short', tags: [] }, 60_000);
    await notes.set('forever', { title: 'Forever', tags: [] });
    clock += 59_000;
    expect(await notes.get('short')).toBeDefined();
    clock += 2_000;
    expect(await notes.get('short')).toBeUndefined();
    expect(await notes.get('forever')).toBeDefined();
    const keys = [];
    for await (const [key] of notes.entries()) keys.push(key);
    expect(keys).toEqual(['forever']);
  });

  it('iterates only its own namespace', async () => {
    const notes = backend.records('notes', noteCodec);
    const others = backend.records('others', noteCodec);
    for (let i = 0; i < 25; i += 1) await notes.set(`n${i}`, { title: `Note ${i}`, tags: [] });
    await others.set('o1', { title: 'Other', tags: [] });
    const seen = new Map<string, string>();
    for await (const [key, value] of notes.entries()) seen.set(key, value.title);
    expect(seen.size).toBe(25);
    expect(seen.get('n7')).toBe('Note 7');
    expect(seen.has('o1')).toBe(false);
  });

  it('migrates a value written by an older schema version on read', async () => {
    if (isFake(name)) return;
    await backend.records('notes', noteV1Codec).set('old', { title: 'Written by v1' });
    expect(await backend.records('notes', noteCodec).get('old')).toEqual({
      title: 'Written by v1',
      tags: [],
    });
  });

  it('fails closed when a stored value cannot be read back', async () => {
    if (isFake(name)) return;
    await backend.records('notes', noteV1Codec).set('broken', { title: 'x' });
    const strictV1 = { version: 1, schema: z.object({ title: z.string(), required: z.number() }) };
    await expect(backend.records('notes', strictV1).get('broken')).rejects.toBeInstanceOf(StoreReadError);
  });

  it('keeps values across a reopen of the same store', async () => {
    if (name === 'memory' || isFake(name)) return; // memory is, by definition, gone with the process
    await backend.records('notes', noteCodec).set('kept', { title: 'Kept', tags: [] });
    await backend.close();
    backend = await createStoreBackend({ url: storeUrl, now, keyPrefix: prefix });
    expect(await backend.records('notes', noteCodec).get('kept')).toEqual({ title: 'Kept', tags: [] });
  });

  it('lets exactly one of two concurrent claimers win, and releases only with the right token', async () => {
    const second = name === 'memory' || isFake(name) ? backend : await open(storeUrl, now, prefix);
    try {
      const results = await Promise.all([
        backend.claims.claim('slot-1', 60_000),
        second.claims.claim('slot-1', 60_000),
      ]);
      const winners = results.filter((token) => token !== undefined);
      expect(winners).toHaveLength(1);
      expect(await backend.claims.release('slot-1', 'not-the-token')).toBe(false);
      expect(await backend.claims.claim('slot-1', 60_000)).toBeUndefined();
      expect(await second.claims.release('slot-1', winners[0] as string)).toBe(true);
      expect(await backend.claims.claim('slot-1', 60_000)).toBeDefined();
    } finally {
      if (second !== backend) await second.close();
    }
  });

  it('sweeps expired records it would otherwise keep until read, and keeps live ones', async () => {
    if (name === 'redis' || isFake(name)) return; // Redis expires records itself (PX); its sweep has nothing to do
    const ledger = backend.records('ledger', noteCodec);
    const other = backend.records('other', noteCodec);
    await ledger.set('old', { title: 'Old', tags: [] }, 1_000);
    await ledger.set('kept', { title: 'Kept', tags: [] });
    await other.set('old-too', { title: 'Old too', tags: [] }, 1_000);
    await other.set('fresh', { title: 'Fresh', tags: [] }, 60_000);
    clock += 1_001;
    expect(await backend.sweepExpired()).toBe(2);
    // Gone from the backend itself, not only hidden by the read-side check.
    clock -= 1_001;
    expect(await ledger.get('old')).toBeUndefined();
    expect(await other.get('old-too')).toBeUndefined();
    expect((await ledger.get('kept'))?.title).toBe('Kept');
    expect((await other.get('fresh'))?.title).toBe('Fresh');
    expect(await backend.sweepExpired()).toBe(0);
  });

  it('lets a claim be taken again once it has expired', async () => {
    if (name === 'redis') return; // Redis expires claims on its own clock (PX); covered below
    expect(await backend.claims.claim('slot-2', 1_000)).toBeDefined();
    expect(await backend.claims.claim('slot-2', 1_000)).toBeUndefined();
    clock += 1_001;
    expect(await backend.claims.claim('slot-2', 1_000)).toBeDefined();
  });
});

describe('sqlite claims', () => {
  it('sweeps expired one-off claims so the file does not grow with every interaction', async () => {
    let clock = 1_700_000_000_000;
    const database = openSqliteDatabase(':memory:');
    const count = () =>
      (database.db.prepare('SELECT COUNT(*) AS n FROM herald_claims').get() as { n: number }).n;
    try {
      const claims = createSqliteClaimStore(database, () => clock);
      for (let i = 0; i < 50; i += 1) await claims.claim(`interaction:${i}`, 60_000);
      await claims.claim('digest-slot', 3_600_000);
      expect(count()).toBe(51);
      clock += 11 * 60_000;
      await claims.claim('interaction:next', 60_000);
      // The 50 expired claims are gone; the live slot claim and the new one stay.
      expect(count()).toBe(2);
      expect(await claims.claim('digest-slot', 3_600_000)).toBeUndefined();
    } finally {
      database.close();
    }
  });
});

describe.runIf(redisUrl)('redis claims under contention', () => {
  it('gives a key to exactly one of many claimers on separate connections', async () => {
    const prefix = `test-${randomUUID()}`;
    const backends = await Promise.all(
      Array.from({ length: 4 }, () => createStoreBackend({ url: redisUrl as string, keyPrefix: prefix })),
    );
    try {
      for (let round = 0; round < 20; round += 1) {
        const tokens = await Promise.all(backends.map((b) => b.claims.claim(`contended-${round}`, 30_000)));
        expect(tokens.filter(Boolean)).toHaveLength(1);
      }
    } finally {
      await Promise.all(backends.map((b) => b.close()));
    }
  });
});
