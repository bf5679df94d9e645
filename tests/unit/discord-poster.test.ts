// The digest poster over a real discord.js REST against the local fake Discord.
import { REST } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { PostError } from '../../src/digest/delivery-ports.ts';
import { createDiscordChannelPoster, createDiscordGuildNotifier, type GuildNotice } from '../../src/digest/discord-poster.ts';
import { PERMISSIONS, startFakeDiscord, type FakeDiscord } from '../support/fake-discord.ts';
import { createMemoryRecordStore } from '../support/memory-stores.ts';

let fake: FakeDiscord | undefined;
let rest: REST | undefined;

afterEach(async () => {
  rest?.clearHashSweeper();
  rest?.clearHandlerSweeper();
  await fake?.close();
  fake = undefined;
  rest = undefined;
});

async function start(restOptions: ConstructorParameters<typeof REST>[0] = {}) {
  fake = await startFakeDiscord();
  rest = new REST({ api: fake.restUrl, ...restOptions }).setToken(fake.token);
  return { fake, rest, poster: createDiscordChannelPoster(rest) };
}

const posts = (discord: FakeDiscord) => discord.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'));

async function postErrorOf(promise: Promise<unknown>): Promise<PostError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PostError) return error;
    throw error;
  }
  throw new Error('expected a PostError');
}

describe('Discord channel poster', () => {
  it('posts with the nonce enforced and mentions off, and returns the message id', async () => {
    const { fake, poster } = await start();
    const { messageId } = await poster.post(fake.channelId, { content: 'Hello @everyone', embeds: [{ title: 'Story' }] }, { nonce: 'slot-nonce-1' });
    const [request] = posts(fake);
    expect(request?.body).toEqual({
      content: 'Hello @everyone', embeds: [{ title: 'Story' }], nonce: 'slot-nonce-1', enforce_nonce: true, allowed_mentions: { parse: [] },
    });
    const messages = fake.messagesIn(fake.channelId);
    expect(messages.map((m) => m.id)).toEqual([messageId]);
    expect(messages[0]?.mention_everyone).toBe(false);
  });

  it('gets the first message back for a repeated nonce instead of a second post', async () => {
    const { fake, poster } = await start();
    const first = await poster.post(fake.channelId, { content: 'one' }, { nonce: 'same' });
    const again = await poster.post(fake.channelId, { content: 'one' }, { nonce: 'same' });
    expect(again.messageId).toBe(first.messageId);
    expect(fake.messagesIn(fake.channelId)).toHaveLength(1);
  });

  it('maps an unknown channel (10003) to unknown-channel', async () => {
    const { poster } = await start();
    const error = await postErrorOf(poster.post('123456789012345678', { content: 'x' }, { nonce: 'n' }));
    expect(error.kind).toBe('unknown-channel');
    expect(error.code).toBe(10003);
  });

  it('maps lost permissions (50013) and lost access (50001)', async () => {
    const { fake, poster } = await start();
    fake.setBotPermissions(PERMISSIONS.ViewChannel);
    const denied = await postErrorOf(poster.post(fake.channelId, { content: 'x' }, { nonce: 'n1' }));
    expect([denied.kind, denied.code]).toEqual(['missing-permissions', 50013]);
    fake.setBotPermissions(0n);
    const hidden = await postErrorOf(poster.post(fake.channelId, { content: 'x' }, { nonce: 'n2' }));
    expect([hidden.kind, hidden.code]).toEqual(['missing-access', 50001]);
    expect(fake.messagesIn(fake.channelId)).toHaveLength(0);
  });

  it('waits out a 429 and then posts', async () => {
    const { fake, poster } = await start();
    fake.failNext({ method: 'POST', pathPattern: /\/messages$/, status: 429, retryAfter: 0.05 });
    const { messageId } = await poster.post(fake.channelId, { content: 'x' }, { nonce: 'n' });
    expect(posts(fake).map((r) => r.status)).toEqual([429, 200]);
    expect(fake.messagesIn(fake.channelId).map((m) => m.id)).toEqual([messageId]);
  });

  it('surfaces a 5xx as a server fault once REST has no retries left', async () => {
    const { fake, poster } = await start({ retries: 0 });
    fake.failNext({ method: 'POST', pathPattern: /\/messages$/, status: 503 });
    const error = await postErrorOf(poster.post(fake.channelId, { content: 'x' }, { nonce: 'n' }));
    expect([error.kind, error.code]).toEqual(['server', 503]);
  });

  it('maps a 429 to rate-limited with its wait when REST rejects on rate limits', async () => {
    const { fake, poster } = await start({ rejectOnRateLimit: () => true });
    fake.failNext({ method: 'POST', pathPattern: /\/messages$/, status: 429, retryAfter: 2 });
    const error = await postErrorOf(poster.post(fake.channelId, { content: 'x' }, { nonce: 'n' }));
    expect(error.kind).toBe('rate-limited');
    expect(error.retryAfterMs).toBeGreaterThan(1000);
  });
});

describe('Discord guild notifier', () => {
  it('tells the guild once, in the first candidate channel that takes the message', async () => {
    const { fake, rest } = await start();
    const store = createMemoryRecordStore<GuildNotice>();
    const tried: string[] = [];
    const notifier = createDiscordGuildNotifier({
      rest, store,
      findWritableChannel: (guildId) => {
        tried.push(guildId);
        return ['123456789012345678', fake.channelId];
      },
    });
    await notifier.notifyOnce(fake.guildId, 'digest-disabled:d1', 'Your digest is paused @everyone');
    await notifier.notifyOnce(fake.guildId, 'digest-disabled:d1', 'Your digest is paused @everyone');
    const messages = fake.messagesIn(fake.channelId);
    expect(messages.map((m) => m.content)).toEqual(['Your digest is paused @everyone']);
    expect(messages[0]?.mention_everyone).toBe(false);
    expect(tried).toEqual([fake.guildId]);
    expect(Object.values(store.snapshot())).toMatchObject([{ guildId: fake.guildId, key: 'digest-disabled:d1', channelId: fake.channelId }]);
  });

  it('fails (for the engine to log) when no channel takes the notice, and tries again next time', async () => {
    const { rest } = await start();
    const store = createMemoryRecordStore<GuildNotice>();
    const notifier = createDiscordGuildNotifier({ rest, store, findWritableChannel: () => [] });
    await expect(notifier.notifyOnce('1', 'k', 'text')).rejects.toThrow(/no channel/);
    expect(store.snapshot()).toEqual({});
  });
});
