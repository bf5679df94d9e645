// A record that fails its schema is never written, and one already stored (by a bug, an older
// build, a hand edit) never takes every command down: it is named by its key and left out.
import Keyv from 'keyv';
import { DatabaseSync } from 'node:sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { z } from 'zod';
import {
  createKeyvRecordStore,
  StoreReadError,
  StoreWriteError,
  type RecordCodec,
} from '../../src/store/record-store.ts';
import { createStoreBackend } from '../../src/store/backend.ts';

const codec: RecordCodec<{ mode: 'immediate' | 'daily' }> = {
  version: 1,
  schema: z.object({ mode: z.enum(['immediate', 'daily']) }),
};

function storeOverMap(onDamaged?: (error: StoreReadError) => void) {
  const map = new Map<string, unknown>();
  const keyv = new Keyv({ store: map, namespace: 'test-readers', throwOnErrors: true });
  const store = createKeyvRecordStore({
    keyv,
    namespace: 'readers',
    codec,
    now: () => 0,
    ...(onDamaged ? { onDamaged } : {}),
  });
  return { keyv, store };
}

describe('record store schema checks', () => {
  it('refuses to write a value that does not match its schema, naming the key', async () => {
    const { store } = storeOverMap();
    await expect(store.set('ann', { mode: 'weekly' } as never)).rejects.toThrowError(StoreWriteError);
    await expect(store.set('ann', { mode: 'weekly' } as never)).rejects.toThrowError(/readers\/ann/);
    expect(await store.get('ann')).toBeUndefined();
  });

  it('leaves a damaged record out of a walk, reports it once by key, and keeps it for inspection', async () => {
    const reports: string[] = [];
    const { keyv, store } = storeOverMap((error) => reports.push(error.message));
    await store.set('ann', { mode: 'daily' });
    await keyv.set('bob', { v: 1, data: { mode: 'weekly' } });
    const walk = async () => {
      const keys: string[] = [];
      for await (const [key] of store.entries()) keys.push(key);
      return keys;
    };
    expect(await walk()).toEqual(['ann']);
    expect(await walk()).toEqual(['ann']);
    expect(reports).toEqual(['readers/bob: stored value does not match its schema']);
    // Still stored, and a direct read still refuses to treat it as absent.
    await expect(store.get('bob')).rejects.toThrowError(StoreReadError);
  });

  it('names the key of a stored value that is not JSON as store damage', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'herald-damage-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'store.sqlite');
    const backend = await createStoreBackend({ url: `sqlite://${file}` });
    const store = backend.records('readers', codec);
    await store.set('ann', { mode: 'daily' });
    await backend.close();
    const db = new DatabaseSync(file);
    db.prepare("UPDATE keyv SET value = '{not json' WHERE key = 'herald-readers:ann'").run();
    db.close();
    const reopened = await createStoreBackend({ url: `sqlite://${file}` });
    onTestFinished(() => reopened.close());
    const error = await reopened
      .records('readers', codec)
      .get('ann')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreReadError);
    expect((error as Error).message).toBe('readers/ann: stored value is not JSON');
  });
});
