// The delivery ledger: delivered, in flight and failed told apart, across instances sharing a store.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createDeliveryLedger,
  ledgerEntryCodec,
  type DeliveryLedger,
  type LedgerEntry,
} from '../../src/delivery/ledger.ts';
import { createStoreBackend } from '../../src/store/backend.ts';
import { createMemoryClaimStore, createMemoryRecordStore } from '../support/memory-stores.ts';

function world() {
  let clock = Date.parse('2025-01-15T08:00:00Z');
  const now = () => clock;
  const records = createMemoryRecordStore<LedgerEntry>(now);
  const claims = createMemoryClaimStore(now);
  const ledger = (): DeliveryLedger =>
    createDeliveryLedger({
      records,
      claims,
      claimPrefix: 'test',
      claimTtlMs: 60_000,
      entryTtlMs: 86_400_000,
      now,
    });
  return { records, ledger, advance: (ms: number) => (clock += ms) };
}

describe('delivery ledger', () => {
  it('records a claimed key in flight, holds it against a second claimer, and never delivers it twice', async () => {
    const w = world();
    const a = w.ledger();
    const b = w.ledger();
    const claim = await a.claim('digest:d1:2025-01-15');
    expect(claim.status).toBe('claimed');
    expect((await a.get('digest:d1:2025-01-15'))?.state).toBe('in-flight');
    expect((await b.claim('digest:d1:2025-01-15')).status).toBe('held-elsewhere');
    if (claim.status !== 'claimed') throw new Error('unreachable');
    await a.delivered(claim.lease, { messageIds: ['m1', 'm2'], channelId: 'c1' });
    const again = await b.claim('digest:d1:2025-01-15');
    expect(again).toMatchObject({
      status: 'done',
      entry: { state: 'delivered', messageIds: ['m1', 'm2'], channelId: 'c1' },
    });
  });

  it('lets a failed key be claimed again at once, with the failure it had', async () => {
    const w = world();
    const ledger = w.ledger();
    const first = await ledger.claim('k');
    if (first.status !== 'claimed') throw new Error('expected a claim');
    await ledger.failed(first.lease, {
      kind: 'missing-permission',
      message: 'Missing Permissions',
      code: 50013,
    });
    expect(await ledger.get('k')).toMatchObject({
      state: 'failed',
      failure: { kind: 'missing-permission', code: 50013 },
    });
    const retry = await w.ledger().claim('k');
    expect(retry.status).toBe('claimed');
    if (retry.status === 'claimed') expect(retry.lease.previous?.state).toBe('failed');
  });

  it('resumes a key whose holder died once its claim expired', async () => {
    const w = world();
    const dead = await w.ledger().claim('k');
    expect(dead.status).toBe('claimed');
    expect((await w.ledger().claim('k')).status).toBe('held-elsewhere');
    w.advance(60_001);
    const resumed = await w.ledger().claim('k');
    expect(resumed.status).toBe('claimed');
    if (resumed.status === 'claimed') expect(resumed.lease.previous?.state).toBe('in-flight');
  });

  it('gives a released key back as it was, and forgets a key so it can go again', async () => {
    const w = world();
    const ledger = w.ledger();
    const claim = await ledger.claim('k');
    if (claim.status !== 'claimed') throw new Error('expected a claim');
    await ledger.release(claim.lease);
    expect(await ledger.get('k')).toBeUndefined();
    const second = await ledger.claim('k');
    if (second.status !== 'claimed') throw new Error('expected a claim');
    await ledger.delivered(second.lease, { messageIds: ['m1'] });
    await ledger.forget('k');
    expect((await ledger.claim('k')).status).toBe('claimed');
  });

  it('reads a digest slot record written before the ledger was shared (version 1)', async () => {
    const backend = await createStoreBackend({ url: 'memory://', now: Date.now });
    const old = backend.records<unknown>('digest-ledger', { version: 1, schema: z.unknown() });
    await old.set('d1:2025-01-15', {
      v: 1,
      slot: 'd1:2025-01-15',
      digestId: 'd1',
      state: 'sent',
      messageIds: ['m1'],
      storyIds: ['s1'],
      nonce: 'n',
      at: '2025-01-15T08:00:00.000Z',
    });
    const entry = await backend.records('digest-ledger', ledgerEntryCodec).get('d1:2025-01-15');
    expect(entry).toMatchObject({
      key: 'd1:2025-01-15',
      state: 'delivered',
      messageIds: ['m1'],
      storyIds: ['s1'],
    });
    await backend.close();
  });

  it('reads a guild notice given before the ledger was shared (version 1) as delivered, so it is not given again', async () => {
    const backend = await createStoreBackend({ url: 'memory://', now: Date.now });
    const old = backend.records<unknown>('guild-notices', { version: 1, schema: z.unknown() });
    await old.set('g1:digest-disabled:d1:c1', {
      v: 1,
      guildId: 'g1',
      key: 'digest-disabled:d1:c1',
      channelId: 'c9',
      messageId: 'm7',
      at: '2025-01-15T08:00:00.000Z',
    });
    const records = backend.records('guild-notices', ledgerEntryCodec);
    const ledger = createDeliveryLedger({
      records,
      claims: backend.claims,
      claimPrefix: 'n',
      claimTtlMs: 60_000,
      now: Date.now,
    });
    expect(await ledger.claim('g1:digest-disabled:d1:c1')).toMatchObject({
      status: 'done',
      entry: { state: 'delivered', channelId: 'c9', messageIds: ['m7'] },
    });
    await backend.close();
  });
});
