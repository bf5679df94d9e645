// `npm run bench -- digest-engine [--json]`: the delivery engine alone (no HTTP), 1,000 digests
// due at one instant against an in-process sink with 20 ms latency that enforces a global
// 50 requests/second limit with 429s and dedups nonces like Discord. Reports the time to deliver
// all of them against the 20 s floor the limit sets, the 429s, and duplicates (must be 0).
// The HTTP benchmark through the fake Discord (`digest`) belongs to the integrator.
import { createDigestDelivery } from '../../src/digest/delivery.ts';
import type { DigestComposer } from '../../src/digest/delivery-ports.ts';
import type { DigestConfig } from '../../src/digest/digest-types.ts';
import { DeliveryError } from '../../src/delivery/failure.ts';
import { nonceFor } from '../../src/delivery/idempotency.ts';
import type { LedgerEntry } from '../../src/delivery/ledger.ts';
import type { MessageSink } from '../../src/delivery/sink.ts';
import { defaultSleep } from '../../src/delivery/retry.ts';
import type { RecordStore } from '../../src/store/types.ts';
import { testCourier } from '../support/test-courier.ts';
import { createMemoryClaimStore, createMemoryRecordStore } from '../support/memory-stores.ts';

const DIGESTS = 1_000;
const LIMIT_PER_SECOND = 50;
const LATENCY_MS = 20;

function createLimitedPoster() {
  const recent: number[] = [];
  const byNonce = new Map<string, string>();
  const perChannel = new Map<string, number>();
  let rejected = 0;
  const poster: MessageSink = {
    surface: 'discord',
    startThread: () => Promise.reject(new Error('no threads here')),
    async send({ key, destination }) {
      const channelId = destination.kind === 'channel' ? destination.channelId : '?';
      const nonce = nonceFor(key, 0);
      await new Promise((resolve) => setTimeout(resolve, LATENCY_MS));
      const now = Date.now();
      while (recent.length > 0 && (recent[0] ?? 0) <= now - 1_000) recent.shift();
      if (recent.length >= LIMIT_PER_SECOND) {
        rejected += 1;
        throw new DeliveryError('rate-limited', 'global rate limit', {
          code: 429,
          retryAfterMs: (recent[0] ?? now) + 1_000 - now,
        });
      }
      recent.push(now);
      const original = byNonce.get(nonce);
      if (original) return { messageId: original, messageIds: [original], channelId };
      const id = `m${byNonce.size + 1}`;
      byNonce.set(nonce, id);
      perChannel.set(channelId, (perChannel.get(channelId) ?? 0) + 1);
      return { messageId: id, messageIds: [id], channelId };
    },
  };
  return { poster, stats: () => ({ rejected, perChannel }) };
}

async function measure(concurrency: number) {
  const now = Date.now;
  const digests = createMemoryRecordStore<DigestConfig>(now);
  const ledger = createMemoryRecordStore<LedgerEntry>(now);
  const dueTime = new Date(now() - 60_000);
  const hhmm = `${String(dueTime.getUTCHours()).padStart(2, '0')}:${String(dueTime.getUTCMinutes()).padStart(2, '0')}`;
  for (let i = 0; i < DIGESTS; i++) {
    await digests.set(`d${i}`, {
      v: 1,
      id: `d${i}`,
      guildId: `g${i % 100}`,
      channelId: `c${i}`,
      time: hhmm,
      timezone: 'UTC',
      topics: [],
      count: 5,
      enabled: true,
      createdBy: 'bench',
      createdAt: '2020-01-01T00:00:00Z',
    });
  }
  const composer: DigestComposer = {
    compose: async () => ({
      messages: [{ content: 'digest' }],
      stories: [{ id: 's1', title: 'Story' }],
      quiet: false,
    }),
  };
  const { poster, stats } = createLimitedPoster();
  const delivery = createDigestDelivery({
    digests,
    lane: testCourier(
      { records: <T>() => ledger as unknown as RecordStore<T>, claims: createMemoryClaimStore(now) },
      poster,
      {
        now,
        sleep: defaultSleep,
      },
    ).lane('digests', { claimTtlMs: 600_000 }),
    composer,
    notifier: { notifyOnce: async () => {} },
    log: { info: () => {}, warn: () => {}, error: () => {} },
    now,
    graceMs: 3_600_000,
    concurrency,
  });
  const started = performance.now();
  const reports = await delivery.runDue();
  const seconds = (performance.now() - started) / 1000;
  const again = await delivery.runDue();
  const { rejected, perChannel } = stats();
  return {
    concurrency,
    delivered: reports.filter((r) => r.outcome === 'sent').length,
    seconds: Number(seconds.toFixed(2)),
    floorSeconds: DIGESTS / LIMIT_PER_SECOND,
    rateLimited: rejected,
    duplicates: [...perChannel.values()].reduce((sum, n) => sum + n - 1, 0),
    secondRunDeliveries: again.filter((r) => r.outcome === 'sent').length,
  };
}

export async function run(args: string[]): Promise<void> {
  const rows = [];
  for (const concurrency of [8, 32]) rows.push(await measure(concurrency));
  console.log('concurrency  delivered  seconds  floor  429s  duplicates  2nd-run');
  for (const r of rows) {
    console.log(
      `${String(r.concurrency).padStart(11)}  ${String(r.delivered).padStart(9)}  ${r.seconds.toFixed(2).padStart(7)}  ` +
        `${String(r.floorSeconds).padStart(5)}  ${String(r.rateLimited).padStart(4)}  ${String(r.duplicates).padStart(10)}  ${String(r.secondRunDeliveries).padStart(7)}`,
    );
  }
  if (args.includes('--json'))
    console.log(JSON.stringify({ bench: 'digest-engine', digests: DIGESTS, rows }));
}
