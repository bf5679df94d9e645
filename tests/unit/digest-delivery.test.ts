import { describe, expect, it } from 'vitest';
import { classifyFailure, DeliveryError } from '../../src/delivery/failure.ts';
import { nonceFor } from '../../src/delivery/idempotency.ts';
import type { LedgerEntry } from '../../src/delivery/ledger.ts';
import type { OutboundMessage } from '../../src/delivery/message.ts';
import type { GuildNotice, GuildNotifier } from '../../src/delivery/notices.ts';
import { describeProblem, noticeText, surfaceWords } from '../../src/render/delivery-words.ts';
import type { MessageSink } from '../../src/delivery/sink.ts';
import { createDigestDelivery, type DigestDeliveryDeps } from '../../src/digest/delivery.ts';
import {
  slotNonce,
  type ComposeOptions,
  type DigestComposer,
  type DigestLog,
} from '../../src/digest/delivery-ports.ts';
import { RECENT_STORY_LIMIT, type DigestConfig } from '../../src/digest/digest-types.ts';
import type { ClaimStore, RecordStore } from '../../src/store/types.ts';
import { digestConfig as baseDigest } from '../support/digest-stories.ts';
import { testCourier } from '../support/test-courier.ts';
import { createMemoryClaimStore, createMemoryRecordStore } from '../support/memory-stores.ts';

const MINUTE = 60_000;
const fail = (): never => {
  throw new Error('expected a value');
};
const HOUR = 60 * MINUTE;
const DUE = Date.parse('2025-01-15T07:00:00Z'); // 08:00 in Berlin

function digestConfig(overrides: Partial<DigestConfig> = {}): DigestConfig {
  return baseDigest({ topics: ['tech'], count: 3, createdAt: '2025-01-14T12:00:00Z', ...overrides });
}

/** Discord as the engine sees it: messages per channel, and nonce dedup for five minutes. */
function createFakeDiscord(now: () => number) {
  const messages: Array<{ id: string; channelId: string; nonce: string; message: OutboundMessage }> = [];
  const attempts: Array<{ channelId: string; nonce: string }> = [];
  const failures: DeliveryError[] = [];
  const sink: MessageSink = {
    surface: 'discord',
    async send({ key, destination, message, parts }) {
      if (destination.kind !== 'channel') throw new Error('digests post into channels');
      if (parts.length !== 1) throw new Error('these digests fit in one message');
      const { channelId } = destination;
      const nonce = nonceFor(key, 0);
      attempts.push({ channelId, nonce });
      const failure = failures.shift();
      if (failure) throw failure;
      const original = messages.find((m) => m.channelId === channelId && m.nonce === nonce);
      if (original && now() - Number(original.id.split('@')[1]) < 5 * MINUTE)
        return { messageId: original.id, messageIds: [original.id], channelId };
      const id = `m${messages.length + 1}@${now()}`;
      messages.push({ id, channelId, nonce, message });
      return { messageId: id, messageIds: [id], channelId };
    },
    startThread: () => Promise.reject(new Error('digests start no threads')),
  };
  return { sink, messages, attempts, failures };
}

interface FakeStory {
  id: string;
  title: string;
  seenAt: number;
}

function createFakeComposer(stories: FakeStory[], options: { ignoreSince?: boolean } = {}) {
  const calls: ComposeOptions[] = [];
  const composer: DigestComposer = {
    async compose(digest, composeOptions) {
      calls.push(composeOptions);
      const since = composeOptions.since ? Date.parse(composeOptions.since) : -Infinity;
      const picked = stories
        .filter((s) => options.ignoreSince || s.seenAt > since)
        .filter((s) => !composeOptions.excludeStoryIds.includes(s.id))
        .slice(0, digest.count)
        .map(({ id, title }) => ({ id, title }));
      return {
        messages: picked.length ? [{ content: picked.map((s) => s.title).join('\n') }] : [],
        stories: picked,
        quiet: picked.length === 0,
      };
    },
  };
  return { composer, calls };
}

function createWorld(options: { start?: number; digests?: DigestConfig[]; stories?: FakeStory[] } = {}) {
  let time = options.start ?? DUE;
  const clock = {
    now: () => time,
    set: (at: number) => {
      time = at;
    },
  };
  const digests = createMemoryRecordStore<DigestConfig>(clock.now);
  const ledger = createMemoryRecordStore<LedgerEntry>(clock.now);
  const claims = createMemoryClaimStore(clock.now);
  const discord = createFakeDiscord(clock.now);
  const stories = options.stories ?? [
    { id: 's1', title: 'Story one', seenAt: DUE - 5 * HOUR },
    { id: 's2', title: 'Story two', seenAt: DUE - 4 * HOUR },
  ];
  const { composer, calls } = createFakeComposer(stories);
  const notices: Array<{ guildId: string; key: string; notice: GuildNotice }> = [];
  const notifier: Pick<GuildNotifier, 'notifyOnce'> = {
    async notifyOnce(guildId, key, notice) {
      if (!notices.some((n) => n.key === key)) notices.push({ guildId, key, notice });
    },
  };
  const logs: Array<{ level: string; message: string; context: object }> = [];
  const log: DigestLog = {
    info: (context, message) => logs.push({ level: 'info', message, context }),
    warn: (context, message) => logs.push({ level: 'warn', message, context }),
    error: (context, message) => logs.push({ level: 'error', message, context }),
  };
  const sleeps: number[] = [];
  const sleep = async (ms: number): Promise<void> => {
    sleeps.push(ms);
    time += ms;
  };
  const deps: Omit<DigestDeliveryDeps, 'lane'> = {
    digests,
    composer,
    notifier,
    log,
    now: clock.now,
    graceMs: HOUR,
  };
  const seed = async (): Promise<void> => {
    for (const d of options.digests ?? [digestConfig()]) await digests.set(d.id, d);
  };
  /** One instance: its own courier over the shared (or a given) ledger and claims. */
  const instance = (
    overrides: Partial<Omit<DigestDeliveryDeps, 'lane'>> & {
      ledger?: RecordStore<LedgerEntry>;
      claims?: ClaimStore;
      claimTtlMs?: number;
    } = {},
  ) => {
    const {
      ledger: records = ledger,
      claims: claimStore = claims,
      claimTtlMs = 2 * MINUTE,
      ...rest
    } = overrides;
    const store = {
      records: <T>() => records as unknown as RecordStore<T>,
      claims: claimStore,
    };
    const lane = testCourier(store, discord.sink, { now: clock.now, sleep, log }).lane('digests', {
      claimTtlMs,
      entryTtlMs: 3 * 24 * HOUR,
    });
    return createDigestDelivery({ ...deps, lane, ...rest });
  };
  return {
    clock,
    digests,
    ledger,
    claims,
    discord,
    stories,
    composeCalls: calls,
    notices,
    logs,
    sleeps,
    deps,
    seed,
    instance,
  };
}

describe('exactly once per slot', () => {
  it('posts once across two runs of the same slot and records it in the ledger and the digest', async () => {
    const world = createWorld();
    await world.seed();
    const delivery = world.instance();
    const first = await delivery.runDue();
    world.clock.set(DUE + MINUTE);
    const second = await delivery.runDue();

    expect(first).toMatchObject([
      { slot: 'd1:2025-01-15', outcome: 'sent', late: false, messageIds: ['m1@' + DUE] },
    ]);
    expect(first[0]?.stories).toEqual([
      { id: 's1', title: 'Story one' },
      { id: 's2', title: 'Story two' },
    ]);
    expect(second).toEqual([]);
    expect(world.discord.messages).toHaveLength(1);
    expect(await world.ledger.get('d1:2025-01-15')).toMatchObject({
      state: 'delivered',
      messageIds: [`m1@${DUE}`],
      storyIds: ['s1', 's2'],
    });
    expect(await world.digests.get('d1')).toMatchObject({
      lastSlot: 'd1:2025-01-15',
      lastDeliveredAt: new Date(DUE).toISOString(),
      lastStoryIds: ['s1', 's2'],
    });
  });

  it('trusts the ledger when the digest record missed its update', async () => {
    const world = createWorld();
    await world.seed();
    await world.instance().runDue();
    await world.digests.set('d1', digestConfig()); // as if the last* fields were never written
    world.clock.set(DUE + 2 * MINUTE);
    expect(await world.instance().runDue()).toMatchObject([{ outcome: 'already-sent' }]);
    expect(world.discord.attempts).toHaveLength(1);
  });

  it('lets only one of two instances sharing the stores post a slot', async () => {
    const world = createWorld();
    await world.seed();
    const [a, b] = await Promise.all([world.instance().runDue(), world.instance().runDue()]);
    const outcomes = [...a, ...b].map((r) => r.outcome).sort();
    expect(outcomes).toEqual(['claimed-elsewhere', 'sent']);
    expect(world.discord.attempts).toHaveLength(1);
  });

  it('never overlaps itself: a second runDue while one is in flight gets the same promise', async () => {
    const world = createWorld();
    await world.seed();
    const delivery = world.instance();
    const first = delivery.runDue();
    const second = delivery.runDue();
    expect(second).toBe(first);
    await first;
    await delivery.idle();
    expect(world.discord.attempts).toHaveLength(1);
  });

  it('does not post twice after a crash between posting and marking sent', async () => {
    const world = createWorld();
    await world.seed();
    // Instance A: Discord accepts the post, then the process dies before the ledger says
    // delivered (that write throws, every write after it too, and its claim is never released).
    let dead = false;
    const dyingLedger: RecordStore<LedgerEntry> = {
      ...world.ledger,
      async set(key, value, ttlMs) {
        if (value.state === 'delivered') dead = true;
        if (dead) throw new Error('process killed');
        return world.ledger.set(key, value, ttlMs);
      },
    };
    const deadClaims: ClaimStore = {
      claim: (k, ttl) => world.claims.claim(k, ttl),
      release: async () => false,
    };
    const crashed = await world.instance({ ledger: dyingLedger, claims: deadClaims }).runDue();
    expect(crashed).toMatchObject([{ outcome: 'failed' }]);
    expect(await world.ledger.get('d1:2025-01-15')).toMatchObject({ state: 'in-flight' });

    // Restart: a new instance after the dead claim expired, within Discord's nonce window.
    world.clock.set(DUE + 3 * MINUTE);
    const restarted = await world.instance().runDue();

    expect(restarted).toMatchObject([{ outcome: 'sent', late: true, messageIds: [`m1@${DUE}`] }]);
    expect(world.discord.messages).toHaveLength(1);
    expect(world.discord.attempts).toHaveLength(2);
    expect(world.discord.attempts[0]?.nonce).toBe(world.discord.attempts[1]?.nonce);
    expect(world.discord.attempts[0]?.nonce).toBe(slotNonce('d1:2025-01-15', 0));
    expect(await world.ledger.get('d1:2025-01-15')).toMatchObject({
      state: 'delivered',
      messageIds: [`m1@${DUE}`],
    });
  });
});

describe('catch-up after downtime', () => {
  it('posts a slot missed while down once when still within grace', async () => {
    const world = createWorld({ start: DUE + 40 * MINUTE });
    await world.seed();
    const delivery = world.instance();
    expect(await delivery.runDue()).toMatchObject([{ outcome: 'sent', late: true }]);
    world.clock.set(DUE + 41 * MINUTE);
    expect(await delivery.runDue()).toEqual([]);
    expect(world.discord.messages).toHaveLength(1);
  });

  it('skips and logs once a slot beyond grace', async () => {
    const world = createWorld({ start: DUE + 3 * HOUR });
    await world.seed();
    const delivery = world.instance();
    expect(await delivery.runDue()).toMatchObject([{ slot: 'd1:2025-01-15', outcome: 'missed' }]);
    world.clock.set(DUE + 3 * HOUR + MINUTE);
    expect(await world.instance().runDue()).toEqual([]);
    expect(world.discord.attempts).toEqual([]);
    expect(world.logs.filter((l) => l.message.includes('missed beyond the grace window'))).toHaveLength(1);
    expect(await world.ledger.get('d1:2025-01-15')).toMatchObject({ state: 'skipped' });
  });
});

describe('Discord faults', () => {
  const permanent = [
    ['destination-gone', 10003, 'channel-gone', 'no longer exists'],
    ['missing-permission', 50001, 'access-lost', 'lost access'],
    ['missing-permission', 50013, 'missing-permission', 'missing a permission'],
  ] as const;

  for (const [kind, code, problem, reasonText] of permanent) {
    it(`disables the digest on ${code} (${kind}), tells the guild once and does not retry`, async () => {
      const world = createWorld();
      await world.seed();
      world.discord.failures.push(classifyFailure({ status: code === 10003 ? 404 : 403, code }));
      const delivery = world.instance();
      expect(await delivery.runDue()).toMatchObject([{ outcome: 'disabled' }]);
      for (const at of [DUE + MINUTE, DUE + 10 * MINUTE, DUE + 24 * HOUR]) {
        world.clock.set(at);
        await delivery.runDue();
      }
      const stored = await world.digests.get('d1');
      expect(stored?.enabled).toBe(false);
      // Stored as a value; each surface words it.
      expect(stored?.disabledProblem).toEqual({ kind: problem, channelId: 'c1', code });
      expect(describeProblem(stored?.disabledProblem ?? fail(), surfaceWords('discord'))).toContain(
        reasonText,
      );
      expect(world.discord.attempts).toHaveLength(1);
      expect(world.notices).toHaveLength(1);
      expect(world.notices[0]).toMatchObject({
        guildId: 'g1',
        notice: { kind: 'digest-paused', channelId: 'c1' },
      });
      const onDiscord = noticeText(world.notices[0]?.notice ?? fail(), surfaceWords('discord'));
      expect(onDiscord).toContain('<#c1>');
      expect(onDiscord).toContain(`Discord error ${code}`);
      expect(world.sleeps).toEqual([]);
    });
  }

  it('waits out 429s for as long as Discord asks, then posts once', async () => {
    const world = createWorld();
    await world.seed();
    world.discord.failures.push(
      classifyFailure({ status: 429, retryAfterMs: 2_500 }),
      classifyFailure({ status: 429, retryAfterMs: 700 }),
    );
    expect(await world.instance().runDue()).toMatchObject([{ outcome: 'sent' }]);
    expect(world.sleeps).toEqual([2_500, 700]);
    expect(world.discord.messages).toHaveLength(1);
  });

  it('retries 5xx with exponential backoff, then succeeds', async () => {
    const world = createWorld();
    await world.seed();
    for (let i = 0; i < 3; i++) world.discord.failures.push(classifyFailure({ status: 502 }));
    expect(await world.instance().runDue()).toMatchObject([{ outcome: 'sent' }]);
    expect(world.sleeps).toEqual([1_000, 2_000, 4_000]);
    expect(new Set(world.discord.attempts.map((a) => a.nonce)).size).toBe(1);
  });

  it('gives up on endless 5xx inside the window, releases the slot, and a later tick delivers it', async () => {
    const world = createWorld();
    await world.seed();
    for (let i = 0; i < 100; i++) world.discord.failures.push(classifyFailure({ status: 503 }));
    expect(await world.instance({ claimTtlMs: 10 * MINUTE }).runDue()).toMatchObject([{ outcome: 'failed' }]);
    const waited = world.sleeps.reduce((a, b) => a + b, 0);
    expect(waited).toBeLessThan(10 * MINUTE);
    world.discord.failures.length = 0;
    world.clock.set(world.clock.now() + MINUTE);
    expect(await world.instance().runDue()).toMatchObject([{ outcome: 'sent' }]);
    expect(world.discord.messages).toHaveLength(1);
  });

  it('stops retrying at the end of the slot window', async () => {
    const world = createWorld({ start: DUE + 59 * MINUTE });
    await world.seed();
    world.discord.failures.push(
      classifyFailure({ status: 500 }),
      classifyFailure({ status: 429, retryAfterMs: 90_000 }),
    );
    expect(await world.instance({ claimTtlMs: HOUR }).runDue()).toMatchObject([{ outcome: 'failed' }]);
    expect(world.sleeps).toEqual([1_000]);
  });

  it('maps Discord failures to kinds', () => {
    expect(classifyFailure({ status: 404, code: 10003 }).kind).toBe('destination-gone');
    expect(classifyFailure({ status: 403, code: 50001 })).toMatchObject({
      kind: 'missing-permission',
      code: 50001,
    });
    expect(classifyFailure({ status: 403, code: 50013 })).toMatchObject({
      kind: 'missing-permission',
      code: 50013,
    });
    expect(classifyFailure({ status: 429, retryAfterMs: 5 })).toMatchObject({
      kind: 'rate-limited',
      retryAfterMs: 5,
    });
    expect(classifyFailure({ status: 500 }).kind).toBe('retry-later');
    expect(classifyFailure({}).kind).toBe('retry-later');
    expect(classifyFailure({ status: 400, code: 50035 }).kind).toBe('rejected');
    expect(new DeliveryError('rejected', 'x')).toBeInstanceOf(Error);
  });

  it('retries a rejected message (another 4xx) on the next tick, like any non-channel fault', async () => {
    const world = createWorld();
    await world.seed();
    world.discord.failures.push(classifyFailure({ status: 400, code: 50035 }));
    expect(await world.instance().runDue()).toMatchObject([{ outcome: 'failed' }]);
    expect((await world.digests.get('d1'))?.enabled).toBe(true);
    world.clock.set(DUE + MINUTE);
    expect(await world.instance().runDue()).toMatchObject([{ outcome: 'sent' }]);
  });
});

describe('quiet days', () => {
  it("posts the short quiet line in 'line' mode and marks the slot done", async () => {
    const world = createWorld({ stories: [] });
    await world.seed();
    const delivery = world.instance({ quietDay: 'line' });
    expect(await delivery.runDue()).toMatchObject([{ outcome: 'quiet', stories: [] }]);
    expect(world.discord.messages[0]?.message.content).toMatch(/nothing new in tech/);
    world.clock.set(DUE + MINUTE);
    expect(await delivery.runDue()).toEqual([]);
    expect(world.discord.messages).toHaveLength(1);
  });

  it("posts nothing in 'skip' mode (a digest's own setting wins) and still marks the slot done", async () => {
    const world = createWorld({ stories: [], digests: [digestConfig({ quietDay: 'skip' })] });
    await world.seed();
    expect(await world.instance({ quietDay: 'line' }).runDue()).toMatchObject([
      { outcome: 'quiet', messageIds: [] },
    ]);
    expect(world.discord.attempts).toEqual([]);
    expect(await world.ledger.get('d1:2025-01-15')).toMatchObject({ state: 'delivered', messageIds: [] });
    world.clock.set(DUE + 2 * MINUTE);
    expect(await world.instance().runDue()).toEqual([]);
  });
});

describe('stories per channel', () => {
  it('holds stories since the last digest and never repeats one on the next day', async () => {
    const world = createWorld();
    await world.seed();
    const delivery = world.instance();
    await delivery.runDue();
    world.stories.push({ id: 's3', title: 'Story three', seenAt: DUE + 2 * HOUR });
    world.clock.set(DUE + 24 * HOUR);
    const dayTwo = await delivery.runDue();

    expect(dayTwo).toMatchObject([{ slot: 'd1:2025-01-16', outcome: 'sent' }]);
    expect(dayTwo[0]?.stories.map((s) => s.id)).toEqual(['s3']);
    expect(world.composeCalls[1]).toEqual({
      since: new Date(DUE).toISOString(),
      excludeStoryIds: ['s1', 's2'],
    });
  });

  it('excludes stories already sent even when the composer brings back older ones', async () => {
    const world = createWorld();
    const { composer } = createFakeComposer(world.stories, { ignoreSince: true });
    await world.seed();
    const delivery = world.instance({ composer });
    await delivery.runDue();
    world.clock.set(DUE + 24 * HOUR);
    expect(await delivery.runDue()).toMatchObject([{ outcome: 'quiet' }]);
    world.stories.push({ id: 's3', title: 'Story three', seenAt: 0 });
    world.clock.set(DUE + 48 * HOUR);
    const dayThree = await delivery.runDue();
    expect(dayThree[0]?.stories.map((s) => s.id)).toEqual(['s3']);
    expect((await world.digests.get('d1'))?.recentStoryIds).toEqual(['s3', 's1', 's2']);
  });

  it('keeps the remembered story ids bounded', async () => {
    const many = Array.from({ length: RECENT_STORY_LIMIT }, (_, i) => `old${i}`);
    const world = createWorld({ digests: [digestConfig({ recentStoryIds: many })] });
    await world.seed();
    await world.instance().runDue();
    const recent = (await world.digests.get('d1'))?.recentStoryIds ?? [];
    expect(recent).toHaveLength(RECENT_STORY_LIMIT);
    expect(recent.slice(0, 3)).toEqual(['s1', 's2', 'old0']);
  });
});

describe('slot nonces', () => {
  it('are short, deterministic and distinct per slot and message', () => {
    const nonce = slotNonce('d1:2025-01-15', 0);
    expect(nonce.length).toBeLessThanOrEqual(25);
    expect(slotNonce('d1:2025-01-15', 0)).toBe(nonce);
    expect(slotNonce('d1:2025-01-15', 1)).not.toBe(nonce);
    expect(slotNonce('d1:2025-01-16', 0)).not.toBe(nonce);
  });
});

describe('digest now', () => {
  it('posts an extra digest once per minute and keeps the scheduled one from repeating its stories', async () => {
    const world = createWorld({ start: DUE - 2 * HOUR });
    await world.seed();
    const delivery = world.instance();
    const first = await delivery.sendNow('d1');
    const doubleClick = await delivery.sendNow('d1');
    expect(first).toMatchObject({
      outcome: 'sent',
      slot: `d1:now:${new Date(DUE - 2 * HOUR).toISOString().slice(0, 16)}`,
    });
    expect(first.stories.map((s) => s.id)).toEqual(['s1', 's2']);
    expect(doubleClick.outcome).toBe('already-sent');
    expect((await world.digests.get('d1'))?.lastSlot).toBeUndefined();

    world.clock.set(DUE);
    expect(await delivery.runDue()).toMatchObject([{ slot: 'd1:2025-01-15', outcome: 'quiet' }]);
    expect(world.discord.messages).toHaveLength(2);
  });

  it('posts at once after a failed /digest now once the channel is fixed, in the same minute, instead of claiming it was sent', async () => {
    const world = createWorld({ start: DUE - 2 * HOUR });
    await world.seed();
    const delivery = world.instance();
    world.discord.failures.push(classifyFailure({ status: 403, code: 50013 }));
    expect(await delivery.sendNow('d1')).toMatchObject({ outcome: 'disabled' });
    expect(
      await world.ledger.get(`d1:now:${new Date(DUE - 2 * HOUR).toISOString().slice(0, 16)}`),
    ).toMatchObject({
      state: 'failed',
      failure: { kind: 'missing-permission', code: 50013 },
    });
    // The admin fixes the channel and runs /digest setup, which turns the digest back on.
    const fixed = await world.digests.get('d1');
    await world.digests.set('d1', { ...digestConfig(), ...fixed, enabled: true });
    world.clock.set(DUE - 2 * HOUR + 20_000);
    const again = await delivery.sendNow('d1');
    expect(again).toMatchObject({ outcome: 'sent', stories: [{ id: 's1' }, { id: 's2' }] });
    expect(world.discord.messages).toHaveLength(1);
  });
});
