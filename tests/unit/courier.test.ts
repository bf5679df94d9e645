// The courier: exactly once per key, the one failure taxonomy, one fitting per message, and the
// producers' ledgers read from where they were kept before each had its own namespace.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createListedStoryFinder } from '../../src/brief/story-finder.ts';
import { createTaxonomy } from '../../src/brief/topics/taxonomy.ts';
import { loadConfig } from '../../src/config/load.ts';
import { TERMINAL_CHANNEL_ID, TERMINAL_GUILD_ID } from '../../src/delivery/destination.ts';
import { DeliveryError } from '../../src/delivery/failure.ts';
import { DISCORD_LIMITS, embedLength, fitMessage } from '../../src/delivery/fit.ts';
import { ledgerEntryCodec } from '../../src/delivery/ledger.ts';
import type { OutboundMessage } from '../../src/delivery/message.ts';
import { createDigestComposer } from '../../src/digest/composer.ts';
import { createDigestDelivery } from '../../src/digest/delivery.ts';
import { buildFeeds } from '../../src/app/feeds.ts';
import { feedStoryKey } from '../../src/feeds/feed-delivery.ts';
import { createLogger } from '../../src/logger.ts';
import { createStoreBackend } from '../../src/store/backend.ts';
import { buildSubscriptions } from '../../src/app/subscriptions.ts';
import { sentEntryCodec } from '../../src/subscriptions/subscription-types.ts';
import { createTerminalAccess } from '../../src/terminal/terminal-sink.ts';
import { briefItem, createFakeBrief, digestConfig } from '../support/digest-stories.ts';
import { createFakeSink } from '../support/fake-sink.ts';
import { createStoryShelf, testNotifier } from '../support/feed-stories.ts';
import { createMemoryRecordStore } from '../support/memory-stores.ts';
import { memoryCourierStore, testCourier } from '../support/test-courier.ts';
import type { DigestConfig } from '../../src/digest/digest-types.ts';

const quietLog = { info: () => {}, warn: () => {}, error: () => {} };
const notice = {
  key: 'notice:g1:paused',
  destination: { kind: 'channel', channelId: 'c1' },
  message: { content: 'Paused' },
} as const;

describe('the courier', () => {
  function setup() {
    const sink = createFakeSink();
    const lane = testCourier(memoryCourierStore(), sink).lane('notices', { claimTtlMs: 60_000 });
    return { sink, lane };
  }

  it('delivers a key once, however often it is asked', async () => {
    const { sink, lane } = setup();
    expect(await lane.deliver(notice)).toMatchObject({ status: 'delivered', receipt: { messageId: 'm1' } });
    expect(await lane.deliver(notice)).toMatchObject({
      status: 'already-delivered',
      entry: { messageIds: ['m1'] },
    });
    expect(sink.sent).toHaveLength(1);
  });

  it('records a broken destination as failed, and delivers at once when asked again after the fix', async () => {
    const { sink, lane } = setup();
    sink.failures.push(new DeliveryError('missing-permission', 'Missing Permissions', { code: 50013 }));
    expect(await lane.deliver(notice)).toMatchObject({
      status: 'failed',
      error: { kind: 'missing-permission' },
    });
    expect((await lane.ledger.get(notice.key))?.state).toBe('failed');
    expect((await lane.deliver(notice)).status).toBe('delivered');
    expect(sink.sent).toHaveLength(1);
  });

  it('waits out a rate limit when the caller has time', async () => {
    const { sink, lane } = setup();
    sink.failures.push(new DeliveryError('rate-limited', 'slow down', { code: 429, retryAfterMs: 50 }));
    expect((await lane.deliver(notice, { canWait: () => true })).status).toBe('delivered');
    expect(sink.sent).toHaveLength(1);
  });

  it('treats a fault outside the taxonomy as passing (retry-later), for every producer alike', async () => {
    const sink = createFakeSink();
    const lane = testCourier(memoryCourierStore(), {
      ...sink,
      send: () => Promise.reject(new Error('socket hang up')),
    }).lane('dms', { claimTtlMs: 60_000 });
    const error = await lane.send(notice).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ kind: 'retry-later', mayHaveArrived: true });
  });

  it('hands the sink the parts of the message, cut by the one fitter', async () => {
    const { sink, lane } = setup();
    const long: OutboundMessage = { content: 'word '.repeat(700) };
    await lane.deliver({ ...notice, message: long });
    expect(sink.sent[0]?.parts).toEqual(fitMessage(long));
    expect(sink.sent[0]?.parts).toHaveLength(2);
  });
});

describe('a digest through the courier', () => {
  it('is fitted once per message, into parts within every Discord limit', async () => {
    const now = () => Date.parse('2025-11-24T08:00:00Z');
    const long = 'A sentence about the story that goes on for a while. '.repeat(60);
    const items = Array.from({ length: 25 }, (_, i) =>
      briefItem(`s${i}`, { text: long, firstSeenAt: '2025-11-24T06:00:00Z' }),
    );
    const sink = createFakeSink();
    const fitted: OutboundMessage[] = [];
    const fit = (message: OutboundMessage) => (fitted.push(message), fitMessage(message));
    const digests = createMemoryRecordStore<DigestConfig>(now);
    const digest = digestConfig({
      count: 25,
      time: '08:00',
      timezone: 'UTC',
      createdAt: '2025-11-01T00:00:00Z',
    });
    await digests.set(digest.id, digest);
    const delivery = createDigestDelivery({
      digests,
      lane: testCourier(memoryCourierStore(now), sink, { now, fit }).lane('digests', { claimTtlMs: 600_000 }),
      composer: createDigestComposer({ brief: createFakeBrief(items), now }),
      notifier: { notifyOnce: async () => {} },
      log: quietLog,
      now,
      graceMs: 3 * 3_600_000,
    });

    const [report] = await delivery.runDue();

    expect(report).toMatchObject({ outcome: 'sent' });
    expect(fitted).toHaveLength(1);
    const parts = sink.sent.flatMap((sent) => sent.parts);
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) {
      expect(part.embeds?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.embedsPerMessage);
      expect((part.embeds ?? []).reduce((sum, embed) => sum + embedLength(embed), 0)).toBeLessThanOrEqual(
        6000,
      );
      expect(part.content?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.content);
    }
    expect(parts.slice(1).every((part) => part.content === undefined)).toBe(true);
    expect(parts.flatMap((part) => part.embeds ?? [])).toHaveLength(25);
  });
});

describe('ledgers kept before each producer had its own namespace', () => {
  it('keep a feed story delivered before the upgrade from being posted again', async () => {
    const backend = await createStoreBackend({ url: 'memory://' });
    const shelf = createStoryShelf();
    const sink = createFakeSink('terminal');
    const transport = { sink, access: createTerminalAccess() };
    const built = buildFeeds({
      config: loadConfig({ STORE_URL: 'memory://' }),
      backend,
      transport,
      courier: testCourier(backend, sink),
      notifier: testNotifier(backend, transport),
      stories: shelf,
      brief: shelf,
      taxonomy: createTaxonomy({
        version: 1,
        sections: [{ key: 'science', name: 'Science', description: 'Science', terms: ['study'] }],
      }),
      sources: { forGuild: async () => [] },
      log: createLogger('silent'),
      now: Date.now,
    });
    await built.service.add({
      guildId: TERMINAL_GUILD_ID,
      channelId: TERMINAL_CHANNEL_ID,
      topic: 'science',
      userId: 'me',
    });
    // Before the upgrade, feeds recorded their posts among the digests' entries.
    const old = feedStoryKey(TERMINAL_CHANNEL_ID, 's-old');
    await backend.records('digest-ledger', ledgerEntryCodec).set(old, {
      key: old,
      state: 'delivered',
      at: new Date().toISOString(),
      messageIds: ['before-1'],
      channelId: TERMINAL_CHANNEL_ID,
      attempts: 1,
    });

    await built.service.onNewStories([shelf.put('s-old', { title: 'Old news' }), shelf.put('s-new')]);

    expect(sink.sent.map((sent) => sent.message.embeds?.[0]?.title)).toEqual(['Story s-new']);
    expect(
      await backend.records('feed-ledger', ledgerEntryCodec).get(feedStoryKey(TERMINAL_CHANNEL_ID, 's-new')),
    ).toMatchObject({ state: 'delivered' });
    await backend.close();
  });

  it('keep a story DMed before the upgrade from being sent again', async () => {
    const config = loadConfig({ STORE_URL: 'memory://', LOG_LEVEL: 'silent' });
    const now = () => Date.parse('2025-03-10T12:00:00Z');
    const backend = await createStoreBackend({ url: 'memory://', now });
    const at = new Date(now() - 60_000).toISOString();
    const story = (id: string) => ({
      id,
      title: `Story ${id}`,
      articleIds: [`a-${id}`],
      sources: [],
      publishedAt: at,
      firstSeenAt: at,
      updatedAt: at,
      contentHash: `h-${id}`,
      topics: ['world'],
      entities: [],
      sourceWeight: 1,
      featured: false,
    });
    const library = [story('s-old'), story('s-new')];
    const sink = createFakeSink();
    const built = buildSubscriptions({
      config,
      backend,
      now,
      courier: testCourier(backend, sink, { now }),
      cron: { schedule: () => ({ stop() {}, destroy() {} }) },
      log: quietLog,
      taxonomy: createTaxonomy({
        version: 1,
        sections: [{ key: 'world', name: 'World', description: 'World', terms: ['summit'] }],
      }),
      stories: {
        getStory: async (id) => library.find((s) => s.id === id),
        ...createListedStoryFinder(async () => library),
      },
      brief: {
        summaryOf: async (s) => ({
          v: 1,
          headline: s.title,
          sentences: ['Leaders meet.'],
          keyFacts: [],
          topics: [],
          entities: [],
          summarizer: 'extractive',
        }),
      },
    });
    await built.service.subscribe('u1', 'World');
    // Before the upgrade, DMs kept their own list of the stories each reader was sent.
    await backend.records('subscription-sent', sentEntryCodec).set('u1:s-old', { at, via: 'immediate' });

    await built.service.onNewStories(['s-old', 's-new']);

    expect(sink.sent).toHaveLength(1);
    expect(sink.sent[0]?.message.embeds?.map((embed) => embed.title)).toEqual(['Story s-new']);
    await backend.close();
  });
});

describe('the one way out', () => {
  const srcDir = path.resolve(import.meta.dirname, '../../src');
  const sources = readdirSync(srcDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => ({
      file: file.split(path.sep).join('/'),
      text: readFileSync(path.join(srcDir, file), 'utf8'),
    }));
  const calling = (pattern: RegExp) =>
    sources.filter((source) => pattern.test(source.text)).map((source) => source.file);

  it('is the courier: no other file under src/ sends through a sink', () => {
    expect(calling(/\bsink\s*\.\s*send\s*\(/i)).toEqual(['delivery/courier.ts']);
  });

  it('fits once: only the courier (and interaction replies, which do not pass it) call the fitter', () => {
    expect(calling(/\bfitMessage\b/).sort()).toEqual([
      'delivery/courier.ts',
      'delivery/fit.ts',
      'discord/reply-payloads.ts',
    ]);
  });
});
