// `npm run bench -- digest [--json]`: 1,000 channel digests due at one instant, delivered by the
// real engine (memory stores, the real composer over a fixed brief) through the Discord sink
// over discord.js REST to the local fake Discord, which enforces a global 50 requests/second
// limit with 429s. Reports the time to deliver them all against the 20 s floor that limit sets,
// the requests that got a 429 (429s per run), duplicates (channels with more than one message:
// must be 0) and a second run for the same slots (must deliver nothing).
//
// Each configuration runs idle and under load (the event loop, which the fake shares, blocked
// for 25 ms of every 50 ms, as on a busy machine). The baseline, in the same run, is the sink
// without Herald's pacer (discord.js's own global limiter at 50/s, as before the pacer).
//
// The fake knows one guild text channel; the 1,000 channels are DM channels opened before the
// clock starts (they count against the same limit, so setup takes about 20 s too).
import { REST, Routes } from 'discord.js';
import { createDigestComposer } from '../../src/digest/composer.ts';
import { createDigestDelivery } from '../../src/digest/delivery.ts';
import type { DigestConfig } from '../../src/digest/digest-types.ts';
import { createPacer, DISCORD_PACE_PER_SECOND, UNPACED, type Pacer } from '../../src/delivery/pacer.ts';
import { createDiscordSink } from '../../src/discord/discord-sink.ts';
import { defaultSleep } from '../../src/delivery/retry.ts';
import { memoryCourierStore, testCourier } from '../support/test-courier.ts';
import { briefItem, createFakeBrief } from '../support/digest-stories.ts';
import { startFakeDiscord, type FakeDiscord } from '../support/fake-discord.ts';
import { createMemoryRecordStore } from '../support/memory-stores.ts';

const DIGESTS = 1_000;
const LIMIT_PER_SECOND = 50;
const SETUP_CONCURRENCY = 25;

async function mapLimit<T>(count: number, limit: number, fn: (index: number) => Promise<T>): Promise<T[]> {
  const out = new Array<T>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      out[index] = await fn(index);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return out;
}

function hhmm(instant: number): string {
  const date = new Date(instant);
  return `${String(date.getUTCHours()).padStart(2, '0')}:${String(date.getUTCMinutes()).padStart(2, '0')}`;
}

/** Blocks the event loop for `busyMs` of every `periodMs` until stopped: a loaded machine. */
function loadEventLoop(busyMs: number, periodMs: number): () => void {
  const timer = setInterval(() => {
    const until = performance.now() + busyMs;
    while (performance.now() < until) {
      // busy
    }
  }, periodMs);
  return () => clearInterval(timer);
}

interface Config {
  label: string;
  pacer: () => Pacer;
  loaded: boolean;
}

/**
 * One round: a digest per channel due a minute ago, delivered through the Discord sink (REST at
 * discord.js's default 50 requests/second) with the given pacer. Rounds reuse the channels;
 * counts are per round.
 */
async function measure(fake: FakeDiscord, channelIds: string[], round: number, config: Config) {
  const rest = new REST({ api: fake.restUrl }).setToken(fake.token);
  const now = Date.now;
  const digests = createMemoryRecordStore<DigestConfig>(now);
  const time = hhmm(now() - 60_000);
  // Created just before the slot, so only today's slot is due (no "missed" yesterday).
  const createdAt = new Date(now() - 2 * 60_000).toISOString();
  for (const [index, channelId] of channelIds.entries()) {
    const id = `d-bench${round}-${index}`;
    await digests.set(id, {
      v: 1,
      id,
      guildId: `g${index % 100}`,
      channelId,
      time,
      timezone: 'UTC',
      topics: [],
      count: 3,
      enabled: true,
      createdBy: 'bench',
      createdAt,
    });
  }
  const stamp = new Date(now() - 3_600_000).toISOString();
  const brief = createFakeBrief(['s1', 's2', 's3'].map((id) => briefItem(id, { firstSeenAt: stamp })));
  const delivery = createDigestDelivery({
    digests,
    lane: testCourier(memoryCourierStore(now), createDiscordSink({ rest, pacer: config.pacer() }), {
      now,
      sleep: defaultSleep,
    }).lane('digests', { claimTtlMs: 600_000 }),
    composer: createDigestComposer({ brief, now }),
    notifier: { notifyOnce: async () => {} },
    log: { info: () => {}, warn: () => {}, error: () => {} },
    now,
    graceMs: 3 * 3_600_000,
  });
  const messagesBefore = channelIds.map((id) => fake.messagesIn(id).length);
  const requestsBefore = fake.requests.length;
  const hitsBefore = fake.globalRateLimitHits;
  const stopLoad = config.loaded ? loadEventLoop(25, 50) : () => {};
  const started = performance.now();
  const reports = await delivery.runDue().finally(stopLoad);
  const seconds = (performance.now() - started) / 1000;
  const requests = fake.requests.length - requestsBefore;
  const rateLimited = fake.globalRateLimitHits - hitsBefore;
  const again = await delivery.runDue();
  rest.clearHashSweeper();
  rest.clearHandlerSweeper();
  const added = channelIds.map((id, index) => fake.messagesIn(id).length - (messagesBefore[index] ?? 0));
  return {
    sender: config.label,
    load: config.loaded ? 'busy' : 'idle',
    delivered: reports.filter((r) => r.outcome === 'sent').length,
    notDelivered: reports.filter((r) => r.outcome !== 'sent').length,
    seconds: Number(seconds.toFixed(2)),
    floorSeconds: DIGESTS / LIMIT_PER_SECOND,
    requests,
    rateLimited,
    duplicates: added.reduce((sum, count) => sum + Math.max(0, count - 1), 0),
    missing: added.filter((count) => count === 0).length,
    secondRunDeliveries: again.filter((r) => r.outcome === 'sent' || r.outcome === 'quiet').length,
  };
}

export async function run(args: string[]): Promise<void> {
  const fake = await startFakeDiscord({ globalLimitPerSecond: LIMIT_PER_SECOND });
  const rest = new REST({ api: fake.restUrl }).setToken(fake.token);
  try {
    const setupStarted = performance.now();
    const channelIds = await mapLimit(DIGESTS, SETUP_CONCURRENCY, async (index) => {
      const recipient = String(100_000_000_000_000_000n + BigInt(index));
      const channel = (await rest.post(Routes.userChannels(), { body: { recipient_id: recipient } })) as {
        id: string;
      };
      return channel.id;
    });
    const setupSeconds = (performance.now() - setupStarted) / 1000;

    const configs: Config[] = [
      { label: 'no pacer (baseline)', pacer: () => UNPACED, loaded: false },
      {
        label: `pacer ${DISCORD_PACE_PER_SECOND}/s`,
        pacer: () => createPacer({ perSecond: DISCORD_PACE_PER_SECOND }),
        loaded: false,
      },
      { label: 'no pacer (baseline)', pacer: () => UNPACED, loaded: true },
      {
        label: `pacer ${DISCORD_PACE_PER_SECOND}/s`,
        pacer: () => createPacer({ perSecond: DISCORD_PACE_PER_SECOND }),
        loaded: true,
      },
    ];
    const rows = [];
    for (const [round, config] of configs.entries()) {
      // Each round starts with the fake's window empty, not full of the last round's requests.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      rows.push(await measure(fake, channelIds, round, config));
    }
    console.log(
      'sender               load  delivered  seconds  floor  requests  429s  duplicates  missing  2nd-run',
    );
    for (const r of rows) {
      console.log(
        `${r.sender.padEnd(19)}  ${r.load.padStart(4)}  ${String(r.delivered).padStart(9)}  ${r.seconds.toFixed(2).padStart(7)}  ` +
          `${String(r.floorSeconds).padStart(5)}  ${String(r.requests).padStart(8)}  ${String(r.rateLimited).padStart(4)}  ` +
          `${String(r.duplicates).padStart(10)}  ${String(r.missing).padStart(7)}  ${String(r.secondRunDeliveries).padStart(7)}`,
      );
    }
    console.log(
      `(fake Discord limit ${LIMIT_PER_SECOND}/s; setup: ${DIGESTS} channels opened in ${setupSeconds.toFixed(2)} s under the same limit)`,
    );
    const result = {
      bench: 'digest',
      digests: DIGESTS,
      limitPerSecond: LIMIT_PER_SECOND,
      floorSeconds: DIGESTS / LIMIT_PER_SECOND,
      rows,
    };
    if (args.includes('--json')) console.log(JSON.stringify(result));
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
    await fake.close();
  }
}
