// The fake Discord's REST rules, checked over plain HTTP where discord.js would hide the detail
// (headers, exact status codes, bodies).
import { afterEach, describe, expect, it } from 'vitest';
import { REST } from 'discord.js';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from '../support/fake-discord.ts';

let fake: FakeDiscord | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  // Bare sockets identify once per interaction here, faster than Discord's 5 s window allows.
  fake = await startFakeDiscord({ identifyIntervalMs: 1, ...options });
  return fake;
}

function call(
  discord: FakeDiscord,
  method: string,
  path: string,
  body?: unknown,
  auth = true,
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (auth) headers.authorization = `Bot ${discord.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${discord.restUrl}/v10${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** Registers an interaction with the fake without a gateway client (nobody answers it but the test). */
async function interactionWithoutClient(discord: FakeDiscord): Promise<{ id: string; token: string }> {
  // dispatchInteraction waits for a session, so open a minimal gateway connection first.
  const { WebSocket } = await import('ws');
  const socket = new WebSocket(`${discord.gatewayUrl}?v=10&encoding=json`);
  await new Promise((resolve) => socket.once('message', resolve));
  socket.send(JSON.stringify({ op: 2, d: { token: discord.token, intents: 1, properties: {} } }));
  const sent = await discord.dispatchInteraction({ kind: 'command', name: 'ping' });
  socket.terminate();
  return sent;
}

describe('fake Discord REST', () => {
  it('answers unknown routes with 404 code 0 and requires the bot token', async () => {
    const discord = await start();
    const missing = await call(discord, 'GET', '/nothing/here');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ code: 0, message: '404: Not Found' });
    expect((await call(discord, 'GET', '/users/@me', undefined, false)).status).toBe(401);
    expect(await (await call(discord, 'GET', '/users/@me')).json()).toMatchObject({
      id: discord.botUserId,
      bot: true,
    });
  });

  it('answers a callback with 204 and no content-type, or the callback response with with_response', async () => {
    const discord = await start();
    const first = await interactionWithoutClient(discord);
    const reply = { type: 4, data: { content: 'pong', allowed_mentions: { parse: [] } } };
    const plain = await call(
      discord,
      'POST',
      `/interactions/${first.id}/${first.token}/callback?with_response=false`,
      reply,
      false,
    );
    expect(plain.status).toBe(204);
    expect(plain.headers.get('content-type')).toBeNull();
    const again = await call(
      discord,
      'POST',
      `/interactions/${first.id}/${first.token}/callback`,
      reply,
      false,
    );
    expect(await again.json()).toMatchObject({ code: 40060 });

    const second = await interactionWithoutClient(discord);
    const detailed = await call(
      discord,
      'POST',
      `/interactions/${second.id}/${second.token}/callback?with_response=true`,
      { type: 5, data: { flags: 64 } },
      false,
    );
    expect(detailed.status).toBe(200);
    expect(await detailed.json()).toMatchObject({
      interaction: {
        id: second.id,
        type: 2,
        response_message_loading: true,
        response_message_ephemeral: true,
      },
      resource: { type: 5, message: { flags: 64 | 128 } },
    });
  });

  it('refuses follow-ups before the callback and webhook calls after 15 minutes', async () => {
    let clock = 1_700_000_000_000;
    const discord = await start({ now: () => clock });
    const sent = await interactionWithoutClient(discord);
    const followUp = { content: 'more' };
    expect(
      await (
        await call(
          discord,
          'POST',
          `/webhooks/${discord.applicationId}/${sent.token}?wait=true`,
          followUp,
          false,
        )
      ).json(),
    ).toMatchObject({ code: 10015 });
    await call(discord, 'POST', `/interactions/${sent.id}/${sent.token}/callback`, { type: 5 }, false);
    const empty = await call(
      discord,
      'PATCH',
      `/webhooks/${discord.applicationId}/${sent.token}/messages/@original`,
      { content: '' },
      false,
    );
    expect(await empty.json()).toMatchObject({ code: 50006 });
    expect(
      (
        await call(
          discord,
          'POST',
          `/webhooks/${discord.applicationId}/${sent.token}?wait=true`,
          followUp,
          false,
        )
      ).status,
    ).toBe(200);
    clock += 15 * 60_000 + 1;
    expect(
      await (
        await call(
          discord,
          'POST',
          `/webhooks/${discord.applicationId}/${sent.token}?wait=true`,
          followUp,
          false,
        )
      ).json(),
    ).toMatchObject({ code: 50027 });
  });

  it('rejects over-limit and empty messages', async () => {
    const discord = await start();
    const path = `/channels/${discord.channelId}/messages`;
    expect((await call(discord, 'POST', path, { content: 'x'.repeat(2000) })).status).toBe(200);
    const long = await call(discord, 'POST', path, { content: 'x'.repeat(2001) });
    expect(long.status).toBe(400);
    expect(await long.json()).toMatchObject({
      code: 50035,
      errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } },
    });
    const embeds = Array.from({ length: 11 }, () => ({ title: 't' }));
    expect((await call(discord, 'POST', path, { embeds })).status).toBe(400);
    const heavy = Array.from({ length: 2 }, () => ({ description: 'd'.repeat(3001) }));
    expect(await (await call(discord, 'POST', path, { embeds: heavy })).json()).toMatchObject({
      errors: { embeds: { _errors: [{ code: 'MAX_EMBED_SIZE_EXCEEDED' }] } },
    });
    const fields = Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' }));
    expect((await call(discord, 'POST', path, { embeds: [{ fields }] })).status).toBe(400);
    expect(await (await call(discord, 'POST', path, { content: ' ' })).json()).toMatchObject({ code: 50006 });
    expect(
      await (await call(discord, 'POST', '/channels/1/messages', { content: 'x' })).json(),
    ).toMatchObject({ code: 10003 });
    expect(discord.messagesIn(discord.channelId)).toHaveLength(1);
  });

  it('stores commands with stable ids and checks their limits', async () => {
    const discord = await start();
    const path = `/applications/${discord.applicationId}/guilds/${discord.guildId}/commands`;
    const definition = { name: 'brief', description: 'Today in brief', options: [] };
    const [first] = (await (await call(discord, 'PUT', path, [definition])).json()) as { id: string }[];
    const [again] = (await (await call(discord, 'PUT', path, [definition])).json()) as { id: string }[];
    expect(again?.id).toBe(first?.id);
    expect(discord.commands(discord.guildId)).toHaveLength(1);
    const bad = await call(discord, 'PUT', path, [{ name: 'Brief', description: '' }]);
    expect(bad.status).toBe(400);
    expect(discord.commands(discord.guildId)).toHaveLength(1);
  });

  it('answers over a global limit with 429 global and counts them', async () => {
    const discord = await start({ globalLimitPerSecond: 3 });
    const statuses: number[] = [];
    let globalHeader: string | null = null;
    for (let i = 0; i < 5; i++) {
      const response = await call(discord, 'GET', '/users/@me');
      statuses.push(response.status);
      if (response.status === 429) globalHeader = response.headers.get('x-ratelimit-global');
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(globalHeader).toBe('true');
    expect(discord.globalRateLimitHits).toBe(2);
  });

  it('records whether a message would ping @everyone given its allowed mentions', async () => {
    const discord = await start();
    const path = `/channels/${discord.channelId}/messages`;
    await call(discord, 'POST', path, { content: '@everyone news' });
    await call(discord, 'POST', path, { content: '@everyone news', allowed_mentions: { parse: [] } });
    expect(discord.messagesIn(discord.channelId).map((message) => message.mention_everyone)).toEqual([
      true,
      false,
    ]);
  });

  it('lets @discordjs/rest get every request through a tight global limit', async () => {
    const discord = await start({ globalLimitPerSecond: 10 });
    const rest = new REST({ api: discord.restUrl }).setToken(discord.token);
    const results = await Promise.all(Array.from({ length: 15 }, () => rest.get('/users/@me')));
    expect(results).toHaveLength(15);
    expect(discord.globalRateLimitHits).toBeGreaterThan(0);
    expect(discord.requests.filter((request) => request.status === 200)).toHaveLength(15);
  });

  it('lets @discordjs/rest retry injected 5xx and global 429s', async () => {
    const discord = await start();
    const rest = new REST({ api: discord.restUrl }).setToken(discord.token);
    discord.failNext({ method: 'GET', pathPattern: /^\/users\/@me$/, status: 502, times: 2 });
    discord.failNext({
      method: 'GET',
      pathPattern: /^\/users\/@me$/,
      status: 429,
      global: true,
      retryAfter: 0.05,
    });
    expect(await rest.get('/users/@me')).toMatchObject({ id: discord.botUserId });
    expect(discord.requests.map((request) => request.status)).toEqual([502, 502, 429, 200]);
    discord.failNext({ pathPattern: /^\/users\/@me$/, status: 500, times: 10 });
    await expect(rest.get('/users/@me')).rejects.toMatchObject({ status: 500 });
    discord.clearFaults();
  });
});
