// The Discord adapter of the delivery port over discord.js's real REST client, against the
// local fake Discord: nonces from keys, split messages, DMs, the failure taxonomy, pacing.
import { REST } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/delivery/failure.ts';
import { nonceFor } from '../../src/delivery/idempotency.ts';
import { UNPACED, type Pacer } from '../../src/delivery/pacer.ts';
import { createGuildNotifier, type GuildNotice } from '../../src/delivery/notices.ts';
import { noticeText, surfaceWords } from '../../src/render/delivery-words.ts';
import type { DestinationAccess, MessageSink, OutboundDelivery } from '../../src/delivery/sink.ts';
import { createDiscordSink } from '../../src/discord/discord-sink.ts';
import { PERMISSIONS, startFakeDiscord, type FakeDiscord } from '../support/fake-discord.ts';
import { memoryCourierStore, testCourier, withFitter } from '../support/test-courier.ts';

let fake: FakeDiscord | undefined;
let rest: REST | undefined;

afterEach(async () => {
  rest?.clearHashSweeper();
  rest?.clearHandlerSweeper();
  await fake?.close();
  fake = undefined;
  rest = undefined;
});

async function start(restOptions: ConstructorParameters<typeof REST>[0] = {}, pacer: Pacer = UNPACED) {
  fake = await startFakeDiscord();
  rest = new REST({ api: fake.restUrl, ...restOptions }).setToken(fake.token);
  return { fake, sink: withFitter(createDiscordSink({ rest, pacer })) };
}

async function failureOf(promise: Promise<unknown>): Promise<DeliveryError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DeliveryError) return error;
    throw error;
  }
  throw new Error('expected a DeliveryError');
}

const READER = '123456789012345678';
const posts = (discord: FakeDiscord) =>
  discord.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'));

describe('Discord sink', () => {
  it("posts into a channel with the key's nonce enforced and mentions off, once per key", async () => {
    const { fake, sink } = await start();
    const delivery: OutboundDelivery = {
      key: 'notice:g1:x',
      destination: { kind: 'channel', channelId: fake.channelId },
      message: { content: 'Hi @everyone', embeds: [{ title: 'Story' }] },
    };
    const receipt = await sink.send(delivery);
    const again = await sink.send(delivery);
    expect(again).toEqual(receipt);
    expect(receipt.channelId).toBe(fake.channelId);
    expect(posts(fake)[0]?.body).toEqual({
      content: 'Hi @everyone',
      embeds: [{ title: 'Story' }],
      nonce: nonceFor('notice:g1:x', 0),
      enforce_nonce: true,
      allowed_mentions: { parse: [] },
    });
    const messages = fake.messagesIn(fake.channelId);
    expect(messages.map((m) => m.id)).toEqual([receipt.messageId]);
    expect(messages[0]?.mention_everyone).toBe(false);
  });

  it("posts a long message as several parts, each within Discord's limits, ids in order", async () => {
    const { fake, sink } = await start();
    const embeds = Array.from({ length: 13 }, (_, i) => ({
      title: `Story ${i}`,
      description: 'Summary. '.repeat(40),
    }));
    const receipt = await sink.send({
      key: 'digest:d1:2025-01-15',
      destination: { kind: 'channel', channelId: fake.channelId },
      message: { content: 'Header', embeds },
    });
    expect(receipt.messageIds).toHaveLength(2);
    expect(fake.messagesIn(fake.channelId).map((m) => m.id)).toEqual(receipt.messageIds);
    expect(posts(fake).map((r) => (r.body as { nonce: string }).nonce)).toEqual([
      nonceFor('digest:d1:2025-01-15', 0),
      nonceFor('digest:d1:2025-01-15', 1),
    ]);
  });

  it("opens a reader's DM channel once and posts there", async () => {
    const { fake, sink } = await start();
    await sink.send({
      key: 'dm:1',
      destination: { kind: 'user', userId: READER },
      message: { content: 'New on World' },
    });
    const second = await sink.send({
      key: 'dm:2',
      destination: { kind: 'user', userId: READER },
      message: { content: 'More' },
    });
    expect(fake.requests.filter((r) => r.path === '/users/@me/channels')).toHaveLength(1);
    expect(second.channelId).toBe(fake.dmChannelOf(READER));
    expect(fake.messagesIn(second.channelId).map((m) => m.content)).toEqual(['New on World', 'More']);
  });

  it("classifies Discord's refusals: gone, missing permission, closed DMs", async () => {
    const { fake, sink } = await start({ retries: 0 });
    const gone = await failureOf(
      sink.send({
        key: 'k1',
        destination: { kind: 'channel', channelId: '123456789012345670' },
        message: { content: 'x' },
      }),
    );
    expect([gone.kind, gone.code, gone.mayHaveArrived]).toEqual(['destination-gone', 10003, false]);
    fake.setBotPermissions(PERMISSIONS.ViewChannel);
    const denied = await failureOf(
      sink.send({
        key: 'k2',
        destination: { kind: 'channel', channelId: fake.channelId },
        message: { content: 'x' },
      }),
    );
    expect([denied.kind, denied.code]).toEqual(['missing-permission', 50013]);
    fake.failNext({ method: 'POST', pathPattern: /^\/channels\/\d+\/messages$/, status: 403, code: 50007 });
    const closed = await failureOf(
      sink.send({ key: 'k3', destination: { kind: 'user', userId: READER }, message: { content: 'x' } }),
    );
    expect([closed.kind, closed.code, closed.mayHaveArrived]).toEqual(['dms-closed', 50007, false]);
    fake.failNext({ method: 'POST', pathPattern: /^\/channels\/\d+\/messages$/, status: 503 });
    const down = await failureOf(
      sink.send({ key: 'k4', destination: { kind: 'user', userId: READER }, message: { content: 'x' } }),
    );
    expect([down.kind, down.code]).toEqual(['retry-later', 503]);
  });

  it('maps lost access (50001) to missing-permission, keeping the code for the reason', async () => {
    const { fake, sink } = await start();
    fake.setBotPermissions(0n);
    const hidden = await failureOf(
      sink.send({
        key: 'k',
        destination: { kind: 'channel', channelId: fake.channelId },
        message: { content: 'x' },
      }),
    );
    expect([hidden.kind, hidden.code]).toEqual(['missing-permission', 50001]);
    expect(fake.messagesIn(fake.channelId)).toHaveLength(0);
  });

  it('waits out a 429 inside REST and then posts', async () => {
    const { fake, sink } = await start();
    fake.failNext({ method: 'POST', pathPattern: /\/messages$/, status: 429, retryAfter: 0.05 });
    const { messageId } = await sink.send({
      key: 'k',
      destination: { kind: 'channel', channelId: fake.channelId },
      message: { content: 'x' },
    });
    expect(posts(fake).map((r) => r.status)).toEqual([429, 200]);
    expect(fake.messagesIn(fake.channelId).map((m) => m.id)).toEqual([messageId]);
  });

  it('maps a 429 to rate-limited with its wait when REST rejects on rate limits', async () => {
    const { fake, sink } = await start({ rejectOnRateLimit: () => true });
    fake.failNext({ method: 'POST', pathPattern: /\/messages$/, status: 429, retryAfter: 2 });
    const error = await failureOf(
      sink.send({
        key: 'k',
        destination: { kind: 'channel', channelId: fake.channelId },
        message: { content: 'x' },
      }),
    );
    expect(error.kind).toBe('rate-limited');
    expect(error.retryAfterMs).toBeGreaterThan(1000);
  });

  it('asks the pacer before every request it makes', async () => {
    let taken = 0;
    const { sink } = await start(
      {},
      { run: (request) => ((taken += 1), request()), take: async () => void (taken += 1) },
    );
    await sink.send({
      key: 'dm:1',
      destination: { kind: 'user', userId: READER },
      message: { content: 'x' },
    });
    expect(taken).toBe(2);
  });
});

describe('guild notices over the Discord sink', () => {
  const paused = (feed: string): GuildNotice => ({
    kind: 'feed-paused',
    channelId: '123456789012345671',
    feed,
    problem: { kind: 'missing-permission', channelId: '123456789012345671', code: 50013 },
  });

  function notifierFor(sink: MessageSink, candidates: string[]) {
    // Every read of the clock moves it a second, so each round of a notice has its own time.
    let clock = Date.parse('2025-01-15T08:00:00Z');
    const now = () => (clock += 1000);
    const store = memoryCourierStore(now);
    const courier = testCourier(store, sink, { now });
    const ledger = courier.lane('notices', { claimTtlMs: 60_000 }).ledger;
    const tried: string[] = [];
    const access: DestinationAccess = {
      missingPermissions: async () => [],
      noticeChannels: async (guildId) => {
        tried.push(guildId);
        return candidates;
      },
    };
    return {
      notifier: createGuildNotifier({
        courier,
        access,
        word: (notice) => noticeText(notice, surfaceWords('discord')),
        log: { info: () => {}, warn: () => {}, error: () => {} },
      }),
      tried,
      ledger,
    };
  }

  it('tells the guild once, in the first candidate channel that takes the message', async () => {
    const { fake, sink } = await start({ retries: 0 });
    const { notifier, tried, ledger } = notifierFor(sink, ['123456789012345670', fake.channelId]);
    // A feed's label is typed by an admin: it may hold a mention.
    await notifier.notifyOnce(fake.guildId, 'feed-paused:f1', paused('"@everyone" (f1)'));
    await notifier.notifyOnce(fake.guildId, 'feed-paused:f1', paused('"@everyone" (f1)'));
    const messages = fake.messagesIn(fake.channelId);
    expect(messages.map((m) => m.content)).toEqual([
      noticeText(paused('"@everyone" (f1)'), surfaceWords('discord')),
    ]);
    expect(messages[0]?.content).toContain('@everyone');
    expect(messages[0]?.mention_everyone).toBe(false);
    expect(tried).toEqual([fake.guildId]);
    expect(await ledger.get(`${fake.guildId}:feed-paused:f1`)).toMatchObject({
      state: 'delivered',
      channelId: fake.channelId,
    });
  });

  it('fails (for the engine to log) when no channel takes the notice, and tries again next time', async () => {
    const { fake, sink } = await start();
    const { notifier, ledger } = notifierFor(sink, []);
    await expect(notifier.notifyOnce(fake.guildId, 'k', paused('f1'))).rejects.toThrow(/no channel/);
    expect(await ledger.get(`${fake.guildId}:k`)).toBeUndefined();
  });

  it('posts a re-armed notice as a new message, not as a repeat of the first', async () => {
    const { fake, sink } = await start();
    const { notifier } = notifierFor(sink, [fake.channelId]);
    await notifier.notifyOnce(fake.guildId, 'k', paused('f1'));
    await notifier.rearm(fake.guildId, 'k');
    await notifier.notifyOnce(fake.guildId, 'k', paused('f1'));
    const text = noticeText(paused('f1'), surfaceWords('discord'));
    expect(fake.messagesIn(fake.channelId).map((m) => m.content)).toEqual([text, text]);
  });
});
