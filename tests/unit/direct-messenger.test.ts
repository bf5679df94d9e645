// The Discord DM messenger against the local fake Discord, through discord.js's real REST client.
import { PassThrough } from 'node:stream';
import { REST } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordDirectMessenger, createSwitchableDirectMessenger, createTerminalDirectMessenger, DirectMessageError } from '../../src/subscriptions/direct-messenger.ts';
import { startFakeDiscord, type FakeDiscord } from '../support/fake-discord.ts';

let fake: FakeDiscord | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup() {
  fake = await startFakeDiscord();
  const rest = new REST({ api: fake.restUrl, retries: 0 }).setToken(fake.token);
  return { discord: fake, messenger: createDiscordDirectMessenger(rest) };
}

const READER = '123456789012345678';

describe('Discord direct messenger', () => {
  it('opens the DM channel once, then posts with mentions switched off', async () => {
    const { discord, messenger } = await setup();
    await messenger.send(READER, { content: 'New on @everyone', embeds: [{ title: 'A story' }] });
    await messenger.send(READER, { content: 'Second' });
    const opens = discord.requests.filter((r) => r.method === 'POST' && r.path === '/users/@me/channels');
    expect(opens).toHaveLength(1);
    expect(opens[0]?.body).toEqual({ recipient_id: READER });
    const channelId = discord.dmChannelOf(READER) ?? '';
    const posts = discord.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${channelId}/messages`);
    expect(posts.map((p) => (p.body as { allowed_mentions: unknown }).allowed_mentions)).toEqual([{ parse: [] }, { parse: [] }]);
    expect(discord.messagesIn(channelId).map((m) => m.content)).toEqual(['New on @everyone', 'Second']);
  });

  it('reports closed DMs (50007) as closed', async () => {
    const { discord, messenger } = await setup();
    discord.failNext({ method: 'POST', pathPattern: /^\/channels\/\d+\/messages$/, status: 403, code: 50007 });
    const error = await messenger.send(READER, { content: 'hi' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DirectMessageError);
    expect(error).toMatchObject({ kind: 'closed', code: 50007, undelivered: true });
  });

  it('reports a Discord server error as transient, with the status', async () => {
    const { discord, messenger } = await setup();
    discord.failNext({ method: 'POST', pathPattern: /^\/channels\/\d+\/messages$/, status: 503, times: 5 });
    const error = await messenger.send(READER, { content: 'hi' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'transient', code: 503, undelivered: true });
  });

  it('reports other refusals as other', async () => {
    const { discord, messenger } = await setup();
    discord.failNext({ method: 'POST', pathPattern: /^\/channels\/\d+\/messages$/, status: 403, code: 50001 });
    await expect(messenger.send(READER, { content: 'hi' })).rejects.toMatchObject({ kind: 'other', code: 50001 });
  });
});

describe('terminal direct messenger', () => {
  it('writes the DM as text', async () => {
    const output = new PassThrough();
    let written = '';
    output.on('data', (chunk: Buffer) => (written += chunk.toString()));
    await createTerminalDirectMessenger(output).send('terminal-user', { content: 'New on World', embeds: [{ title: 'A story', description: 'Summary.' }] });
    expect(written).toContain('DM to terminal-user');
    expect(written).toContain('New on World');
    expect(written).toContain('## A story');
  });
});

describe('switchable direct messenger', () => {
  it('fails as surely undelivered until a transport is attached, then forwards', async () => {
    const messenger = createSwitchableDirectMessenger();
    await expect(messenger.send('u1', { content: 'hi' })).rejects.toMatchObject({ kind: 'transient', undelivered: true });
    const sent: string[] = [];
    messenger.use({ send: async (userId) => void sent.push(userId) });
    await messenger.send('u1', { content: 'hi' });
    expect(sent).toEqual(['u1']);
  });
});
