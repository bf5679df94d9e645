import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { StorySummary } from '../../src/brief/summary-types.ts';
import { loadTaxonomy } from '../../src/brief/topics/taxonomy.ts';
import { UserError } from '../../src/errors.ts';
import type { Story } from '../../src/news/types.ts';
import { DeliveryError } from '../../src/delivery/failure.ts';
import type { OutboundMessage } from '../../src/delivery/message.ts';
import type { MessageSink } from '../../src/delivery/sink.ts';
import {
  createSubscriptionService,
  DAMAGED_SUBSCRIPTIONS_TEXT,
  PAUSED_NOTICE,
  type SubscriptionService,
} from '../../src/subscriptions/subscription-service.ts';
import type { UserSubscriptions } from '../../src/subscriptions/subscription-types.ts';
import type { ClaimStore, RecordStore } from '../../src/store/types.ts';
import type { LedgerEntry } from '../../src/delivery/ledger.ts';
import { testCourier } from '../support/test-courier.ts';
import { StoreReadError } from '../../src/store/record-store.ts';
import {
  createMemoryClaimStore,
  createMemoryRecordStore,
  type MemoryRecordStore,
} from '../support/memory-stores.ts';
import { createListedStoryFinder } from '../../src/brief/story-finder.ts';

const taxonomy = loadTaxonomy(path.resolve(import.meta.dirname, '../../config/topics.json'));
const HOUR = 3_600_000;
const START = Date.parse('2025-03-10T11:00:00Z');

function story(id: string, fields: Partial<Story> = {}): Story {
  const seen = new Date(START - HOUR).toISOString();
  return {
    id,
    title: `Story ${id}`,
    url: `https://news.example/${id}`,
    articleIds: [`a-${id}`],
    sources: [{ name: 'Example News', url: `https://news.example/${id}` }] as Story['sources'],
    publishedAt: seen,
    firstSeenAt: seen,
    updatedAt: seen,
    contentHash: `h-${id}`,
    topics: [],
    entities: [],
    sourceWeight: 1,
    featured: false,
    ...fields,
  };
}

function summary(s: Story): StorySummary {
  return {
    v: 1,
    headline: s.title,
    sentences: [`Summary of ${s.id}.`],
    keyFacts: [],
    topics: s.topics,
    entities: s.entities,
    summarizer: 'extractive',
  };
}

interface Sent {
  userId: string;
  message: OutboundMessage;
}

/** The delivery sink as DMs see it: readers' DMs, and a failure per reader when set. */
function fakeMessenger() {
  const sent: Sent[] = [];
  const failures = new Map<string, DeliveryError>();
  const messenger: MessageSink = {
    surface: 'discord',
    async send({ destination, message }) {
      if (destination.kind !== 'user') throw new Error('subscriptions only DM readers');
      const failure = failures.get(destination.userId);
      if (failure) throw failure;
      sent.push({ userId: destination.userId, message });
      return {
        messageId: `m${sent.length}`,
        messageIds: [`m${sent.length}`],
        channelId: `dm-${destination.userId}`,
      };
    },
    startThread: () => Promise.reject(new Error('DMs start no threads')),
  };
  return { messenger, sent, failures };
}

/** Story ids a DM carried, read back from the embed footers ("… · story <id>"). */
function idsIn(message: OutboundMessage): string[] {
  return (message.embeds ?? []).map((embed) => /story (\S+)$/.exec(embed.footer?.text ?? '')?.[1] ?? '?');
}

describe('subscription service', () => {
  let clock: number;
  let library: Map<string, Story>;
  let store: MemoryRecordStore<UserSubscriptions>;
  let ledger: MemoryRecordStore<LedgerEntry>;
  let claims: ClaimStore;
  let dm: ReturnType<typeof fakeMessenger>;
  let service: SubscriptionService;

  const now = () => clock;
  const log = { info() {}, warn() {}, error() {} };
  function build(): SubscriptionService {
    return createSubscriptionService({
      store,
      lane: testCourier({ records: <T>() => ledger as unknown as RecordStore<T>, claims }, dm.messenger, {
        now,
      }).lane('dms', { claimTtlMs: 60_000 }),
      claims,
      taxonomy,
      now,
      log,
      stories: {
        getStory: async (id) => library.get(id),
        ...createListedStoryFinder(async () => [...library.values()]),
      },
      brief: { summaryOf: async (s) => summary(s) },
      limits: { maxSubscriptionsPerUser: 3 },
    });
  }
  function add(...stories: Story[]): string[] {
    for (const s of stories) library.set(s.id, s);
    return stories.map((s) => s.id);
  }

  beforeEach(() => {
    clock = START;
    library = new Map();
    store = createMemoryRecordStore(now);
    ledger = createMemoryRecordStore(now);
    claims = createMemoryClaimStore(now);
    dm = fakeMessenger();
    service = build();
    add(
      story('syria-1', { topics: ['world', 'syria'], entities: ['Syria', 'Damascus'] }),
      story('us-1', { topics: ['politics'], entities: ['United States'] }),
    );
  });

  describe('what it stores', () => {
    it('refuses a delivery mode it does not know and stores nothing', async () => {
      await expect(service.subscribe('u1', 'Science', { mode: 'weekly' as never })).rejects.toThrowError(
        new UserError('Delivery must be one of immediate, daily (not "weekly").'),
      );
      expect(store.snapshot()).toEqual({});
    });

    it('turns a damaged reader record into a repair step instead of failing every command', async () => {
      const damaged = {
        ...store,
        get: async (key: string) => {
          if (key === 'u1')
            throw new StoreReadError('subscriptions/u1: stored value does not match its schema');
          return store.get(key);
        },
      };
      store = damaged as MemoryRecordStore<UserSubscriptions>;
      service = build();
      // Rides on every command: it must not throw.
      expect(await service.takePendingNotice('u1')).toBeUndefined();
      await expect(service.list('u1')).rejects.toThrowError(new UserError(DAMAGED_SUBSCRIPTIONS_TEXT));
      await expect(service.unsubscribe('u1', 'Science')).rejects.toThrowError(
        /Your damaged subscriptions were cleared/,
      );
    });
  });

  describe('topics', () => {
    it('follows a section by its name or key, case-insensitively', async () => {
      const byName = await service.subscribe('u1', 'business');
      expect(byName.topic).toEqual({ key: 'business', label: 'Business', kind: 'section' });
      const byKey = await service.subscribe('u1', 'SPORTS');
      expect(byKey.topic.key).toBe('sports');
      expect((await service.list('u1'))?.topics.map((t) => t.label)).toEqual(['Business', 'Sports']);
    });

    it('follows a name seen in stored stories, folding spellings such as U.S.', async () => {
      expect((await service.subscribe('u1', 'syria')).topic).toEqual({
        key: 'syria',
        label: 'Syria',
        kind: 'entity',
      });
      expect((await service.subscribe('u1', 'U.S.')).topic).toEqual({
        key: 'united states',
        label: 'United States',
        kind: 'entity',
      });
    });

    it('refuses a topic it has never seen, pointing at /topics', async () => {
      const error = await service.subscribe('u1', 'Atlantis').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect((error as Error).message).toMatch(/don't know the topic "Atlantis".*\/topics/);
      expect(await service.list('u1')).toBeUndefined();
    });

    it('keeps to the per-user limit and does not count a topic followed twice', async () => {
      for (const topic of ['business', 'sports', 'syria', 'Syria']) await service.subscribe('u1', topic);
      await expect(service.subscribe('u1', 'health')).rejects.toThrow(/most I keep/);
    });

    it('unsubscribes by label or key and says when the reader does not follow it', async () => {
      await service.subscribe('u1', 'business');
      await service.subscribe('u1', 'syria');
      expect((await service.unsubscribe('u1', 'SYRIA')).key).toBe('syria');
      await expect(service.unsubscribe('u1', 'sports')).rejects.toThrow(/don't follow "sports"/);
      await service.unsubscribe('u1', 'Business');
      expect(await service.list('u1')).toBeUndefined();
    });

    it('lists sections with story counts and the most-mentioned names', async () => {
      add(story('syria-2', { topics: ['world'], entities: ['Syria'] }));
      const overview = await service.topics('operator');
      expect(overview.sections.find((s) => s.key === 'world')?.stories).toBe(2);
      expect(overview.sections.find((s) => s.key === 'business')?.stories).toBe(0);
      expect(overview.entities[0]).toEqual({ key: 'syria', name: 'Syria', stories: 2 });
    });
  });

  describe('immediate delivery', () => {
    it('sends each subscriber one DM per run listing every matching story', async () => {
      await service.subscribe('u1', 'world');
      await service.subscribe('u1', 'Syria');
      await service.subscribe('u2', 'business');
      await service.subscribe('u3', 'sports');
      const ids = add(
        story('n1', { topics: ['world', 'syria'], entities: ['Syria'] }),
        story('n2', { topics: ['world'], entities: ['France'] }),
        story('n3', { topics: ['business'], entities: [] }),
      );
      const report = await service.onNewStories(ids);
      expect(report).toMatchObject({ dms: 2, stories: 3 });
      expect(dm.sent.map((s) => s.userId).sort()).toEqual(['u1', 'u2']);
      const u1 = dm.sent.find((s) => s.userId === 'u1');
      expect(idsIn(u1?.message ?? {}).sort()).toEqual(['n1', 'n2']);
      expect(u1?.message.content).toMatch(/New on World, Syria.*2 stories/);
    });

    it("carries a server's own stories only to readers who subscribed from that server", async () => {
      await service.subscribe('in-guild', 'business', { guildId: 'g1' });
      await service.subscribe('in-dm', 'business');
      await service.subscribe('elsewhere', 'business', { guildId: 'g2' });
      const ids = add(
        story('shared', { topics: ['business'] }),
        story('g1-only', { topics: ['business'], guildIds: ['g1'] }),
      );
      await service.onNewStories(ids);
      const carried = (userId: string) =>
        dm.sent
          .filter((s) => s.userId === userId)
          .flatMap((s) => idsIn(s.message))
          .sort();
      expect(carried('in-guild')).toEqual(['g1-only', 'shared']);
      expect(carried('in-dm')).toEqual(['shared']);
      expect(carried('elsewhere')).toEqual(['shared']);
    });

    it('never pushes backlog or stale stories', async () => {
      await service.subscribe('u1', 'world');
      const ids = add(
        story('old', { topics: ['world'], backlog: true }),
        story('stale', { topics: ['world'], firstSeenAt: new Date(START - 3 * 24 * HOUR).toISOString() }),
      );
      expect((await service.onNewStories(ids)).dms).toBe(0);
      expect(dm.sent).toEqual([]);
    });

    it('fits a large batch in one message and counts what was left out', async () => {
      await service.subscribe('u1', 'world');
      const ids = add(...Array.from({ length: 14 }, (_, i) => story(`w${i}`, { topics: ['world'] })));
      await service.onNewStories(ids);
      expect(dm.sent).toHaveLength(1);
      expect(dm.sent[0]?.message.embeds).toHaveLength(10);
      expect(dm.sent[0]?.message.content).toMatch(/and 4 more/);
    });

    it('sends a story to a subscriber at most once, across runs and a restart', async () => {
      await service.subscribe('u1', 'world');
      const first = add(story('n1', { topics: ['world'] }));
      await service.onNewStories(first);
      await service.onNewStories(first);
      expect(dm.sent).toHaveLength(1);

      const restarted = build();
      clock += HOUR;
      const second = add(story('n2', { topics: ['world'] }));
      await restarted.onNewStories([...first, ...second]);
      expect(dm.sent).toHaveLength(2);
      expect(idsIn(dm.sent[1]?.message ?? {})).toEqual(['n2']);
      expect(Object.keys(ledger.snapshot()).sort()).toEqual(['dm-story:u1:n1', 'dm-story:u1:n2']);
    });

    it('sends one DM when two instances handle the same batch at once', async () => {
      await service.subscribe('u1', 'world');
      const ids = add(story('n1', { topics: ['world'] }));
      await Promise.all([service.onNewStories(ids), build().onNewStories(ids)]);
      expect(dm.sent).toHaveLength(1);
    });

    it('retries a DM Discord failed to take on the next run, still once', async () => {
      await service.subscribe('u1', 'world');
      const ids = add(story('n1', { topics: ['world'] }));
      dm.failures.set('u1', new DeliveryError('retry-later', '503', { code: 503 }));
      expect((await service.onNewStories(ids)).deferred).toBe(1);
      expect((await service.list('u1'))?.pendingStoryIds).toEqual(['n1']);
      dm.failures.clear();
      expect((await service.runDue()).dms).toBe(1);
      expect((await service.runDue()).dms).toBe(0);
      expect(dm.sent.map((s) => idsIn(s.message))).toEqual([['n1']]);
      expect((await service.list('u1'))?.pendingStoryIds).toBeUndefined();
    });

    it('keeps a story marked sent when Discord never answered (it may have arrived)', async () => {
      await service.subscribe('u1', 'world');
      const ids = add(story('n1', { topics: ['world'] }));
      dm.failures.set('u1', new DeliveryError('retry-later', 'socket hang up'));
      await service.onNewStories(ids);
      dm.failures.clear();
      await service.runDue();
      await service.onNewStories(ids);
      expect(dm.sent).toEqual([]);
    });
  });

  describe('daily delivery', () => {
    // 2025-03-10: New York is on EDT (UTC-4) since the day before.
    beforeEach(async () => {
      clock = Date.parse('2025-03-10T10:00:00Z'); // 06:00 in New York
      await service.subscribe('u1', 'world', { mode: 'daily', time: '8:00', timezone: 'america/new_york' });
    });

    it('stores the normalized time and zone', async () => {
      expect(await service.list('u1')).toMatchObject({
        mode: 'daily',
        time: '08:00',
        timezone: 'America/New_York',
      });
    });

    it('sends one digest at the local time with the stories since, and none before', async () => {
      clock += HOUR;
      const ids = add(
        story('d1', { topics: ['world'], firstSeenAt: new Date(clock).toISOString() }),
        story('d2', { topics: ['sports'], firstSeenAt: new Date(clock).toISOString() }),
      );
      expect((await service.onNewStories(ids)).dms).toBe(0);
      clock = Date.parse('2025-03-10T11:59:00Z'); // 07:59 EDT
      expect((await service.runDue()).dms).toBe(0);
      clock = Date.parse('2025-03-10T12:00:00Z'); // 08:00 EDT
      expect((await service.runDue()).dms).toBe(1);
      expect(idsIn(dm.sent[0]?.message ?? {})).toEqual(['d1']);
      expect(dm.sent[0]?.message.content).toMatch(/daily brief/);
      clock += 10 * 60_000;
      expect((await service.runDue()).dms).toBe(0);
      expect(dm.sent).toHaveLength(1);
    });

    it("leaves another server's own stories out of the daily digest", async () => {
      clock += HOUR;
      const seen = new Date(clock).toISOString();
      add(
        story('shared-d', { topics: ['world'], firstSeenAt: seen }),
        story('other-server', { topics: ['world'], firstSeenAt: seen, guildIds: ['g9'] }),
      );
      clock = Date.parse('2025-03-10T12:00:00Z'); // 08:00 EDT
      expect((await service.runDue()).dms).toBe(1);
      expect(idsIn(dm.sent[0]?.message ?? {})).toEqual(['shared-d']);
    });

    it('holds only stories that arrived since the last digest, and stays quiet on a quiet day', async () => {
      add(story('before', { topics: ['world'], firstSeenAt: new Date(clock - HOUR).toISOString() }));
      clock = Date.parse('2025-03-10T12:00:00Z');
      add(story('d1', { topics: ['world'], firstSeenAt: new Date(clock - 60_000).toISOString() }));
      await service.runDue();
      clock = Date.parse('2025-03-11T12:00:00Z');
      expect((await service.runDue()).dms).toBe(0);
      clock = Date.parse('2025-03-11T20:00:00Z');
      add(story('d2', { topics: ['world'], firstSeenAt: new Date(clock).toISOString() }));
      clock = Date.parse('2025-03-12T12:00:00Z');
      await build().runDue();
      expect(dm.sent.map((s) => idsIn(s.message))).toEqual([['d1'], ['d2']]);
    });

    it('does not send the same day twice after a restart', async () => {
      clock = Date.parse('2025-03-10T12:00:00Z');
      add(story('d1', { topics: ['world'], firstSeenAt: new Date(clock - 60_000).toISOString() }));
      await service.runDue();
      add(story('d2', { topics: ['world'], firstSeenAt: new Date(clock).toISOString() }));
      clock += 60_000;
      await build().runDue();
      expect(dm.sent).toHaveLength(1);
    });

    it('starts tomorrow when the chosen time had already passed today', async () => {
      clock = Date.parse('2025-03-10T15:00:00Z'); // 11:00 EDT
      await service.subscribe('u2', 'world', { time: '09:00', timezone: 'America/New_York' });
      add(story('d1', { topics: ['world'], firstSeenAt: new Date(clock + 60_000).toISOString() }));
      clock += 2 * 60_000;
      await service.runDue();
      expect(dm.sent.filter((s) => s.userId === 'u2')).toEqual([]);
      clock = Date.parse('2025-03-11T13:00:00Z'); // 09:00 EDT next day
      await service.runDue();
      expect(dm.sent.filter((s) => s.userId === 'u2').map((s) => idsIn(s.message))).toEqual([['d1']]);
    });
  });

  describe('closed DMs', () => {
    it('pause the subscriptions, tell the reader once, and resume on /subscribe', async () => {
      await service.subscribe('u1', 'world');
      dm.failures.set(
        'u1',
        new DeliveryError('dms-closed', 'Cannot send messages to this user', { code: 50007 }),
      );
      expect((await service.onNewStories(add(story('n1', { topics: ['world'] })))).paused).toBe(1);
      expect((await service.list('u1'))?.paused?.reason).toBe('dms-closed');
      // Recorded failed: the story may go in a later DM.
      expect(Object.values(ledger.snapshot()).map((entry) => entry.state)).toEqual(['failed']);

      dm.failures.clear();
      expect((await service.onNewStories(add(story('n2', { topics: ['world'] })))).dms).toBe(0);
      expect(await service.takePendingNotice('u1')).toBe(PAUSED_NOTICE);
      expect(await service.takePendingNotice('u1')).toBeUndefined();
      expect(await service.takePendingNotice('someone-else')).toBeUndefined();

      const resumed = await service.subscribe('u1', 'world');
      expect(resumed).toMatchObject({ added: false, resumed: true });
      expect((await service.onNewStories(add(story('n3', { topics: ['world'] })))).dms).toBe(1);
      expect(idsIn(dm.sent[0]?.message ?? {})).toEqual(['n3']);
    });
  });
});
