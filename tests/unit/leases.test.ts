import { describe, expect, it } from 'vitest';
import { createMemoryClaimStore } from '../../src/store/claims.ts';
import { createLeaseHolder, holderOfToken, takeLease } from '../../src/store/leases.ts';

const TTL = 30 * 60_000;
const running = new Set([100, 200]);
const runs = (pid: number) => running.has(pid);

describe('leases name their holder', () => {
  it('writes the holder into the token', async () => {
    const claims = createMemoryClaimStore(() => 0);
    const holder = createLeaseHolder('host-a', 100, runs, 'm1');
    const lease = await takeLease(claims, 'ingest-run', TTL, holder);
    expect(lease.token).toBeDefined();
    expect(holderOfToken(lease.token ?? '')).toBe('host-a#100#m1');
    expect(await claims.tokenOf?.('ingest-run')).toBe(lease.token);
  });

  it('takes over a lease whose process is gone (a restart), at once', async () => {
    const claims = createMemoryClaimStore(() => 0);
    await takeLease(claims, 'ingest-run', TTL, createLeaseHolder('host-a', 300, runs, 'old'));
    const restarted = await takeLease(
      claims,
      'ingest-run',
      TTL,
      createLeaseHolder('host-a', 100, runs, 'new'),
    );
    expect(restarted.token).toBeDefined();
  });

  it('takes over from an earlier start that had the same pid (pid 1 in a container)', async () => {
    const claims = createMemoryClaimStore(() => 0);
    await takeLease(claims, 'ingest-run', TTL, createLeaseHolder('box', 1, runs, 'before'));
    expect(
      (await takeLease(claims, 'ingest-run', TTL, createLeaseHolder('box', 1, runs, 'after'))).token,
    ).toBeDefined();
  });

  it('leaves a live holder, another host, and its own lease alone, and says who holds it', async () => {
    const claims = createMemoryClaimStore(() => 0);
    const live = createLeaseHolder('host-a', 200, runs, 'x');
    await takeLease(claims, 'ingest-run', TTL, live);
    expect(await takeLease(claims, 'ingest-run', TTL, createLeaseHolder('host-a', 100, runs, 'y'))).toEqual({
      heldBy: 'host-a#200#x',
    });
    expect(await takeLease(claims, 'ingest-run', TTL, live)).toEqual({ heldBy: 'host-a#200#x' });
    const elsewhere = createMemoryClaimStore(() => 0);
    await takeLease(elsewhere, 'ingest-run', TTL, createLeaseHolder('host-b', 300, runs, 'z'));
    expect(
      (await takeLease(elsewhere, 'ingest-run', TTL, createLeaseHolder('host-a', 100, runs, 'y'))).token,
    ).toBeUndefined();
  });
});
