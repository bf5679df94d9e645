// The fake Discord plays sharding as Discord does: the recommended count and the session start
// limit from /gateway/bot, IDENTIFY refused with 4010 (invalid shard), 4011 (more than 2,500
// guilds in one session) and 4008 (a bucket identifying again within its window), and guild
// events sent only to the shard of (guild_id >> 22) % num_shards. Checked with bare sockets,
// where discord.js would hide the close codes.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  GATEWAY_CLOSE,
  startFakeDiscord,
  type FakeDiscord,
  type FakeDiscordOptions,
} from '../support/fake-discord.ts';
import { waitFor } from '../support/wait.ts';

let fake: FakeDiscord | undefined;
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await fake?.close();
  fake = undefined;
});

async function start(options: FakeDiscordOptions): Promise<FakeDiscord> {
  fake = await startFakeDiscord(options);
  return fake;
}

interface Connection {
  /** Dispatch events received, in order. */
  events: { t: string; d: Record<string, unknown> }[];
  closed: Promise<number>;
}

/** Opens a gateway socket and identifies with `shard` (none: unsharded). */
async function identify(discord: FakeDiscord, shard?: [number, number]): Promise<Connection> {
  const socket = new WebSocket(`${discord.gatewayUrl}?v=10&encoding=json`);
  sockets.push(socket);
  const events: Connection['events'] = [];
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  const hello = new Promise((resolve) => socket.once('message', resolve));
  socket.on('message', (raw) => {
    const payload = JSON.parse(String(raw)) as { op: number; t: string; d: Record<string, unknown> };
    if (payload.op === 0) events.push({ t: payload.t, d: payload.d });
  });
  await hello;
  socket.send(
    JSON.stringify({
      op: 2,
      d: { token: discord.token, intents: 1, properties: {}, ...(shard ? { shard } : {}) },
    }),
  );
  return { events, closed };
}

async function gatewayBot(discord: FakeDiscord): Promise<Record<string, unknown>> {
  const response = await fetch(`${discord.restUrl}/v10/gateway/bot`, {
    headers: { authorization: `Bot ${discord.token}` },
  });
  return (await response.json()) as Record<string, unknown>;
}

/** Resolves once `connection` has received `count` GUILD_CREATEs. */
async function guildsReceived(connection: Connection, count: number): Promise<void> {
  await waitFor(() => connection.events.filter((event) => event.t === 'GUILD_CREATE').length >= count, {
    what: `${count} GUILD_CREATE`,
  });
}

describe('the fake Discord shards', () => {
  it('recommends one shard per 2,500 guilds and spends the session start limit per identify', async () => {
    const discord = await start({ guildCount: 15_000, maxConcurrency: 2, identifyIntervalMs: 1 });
    expect(discord.recommendedShards).toBe(6);
    expect(await gatewayBot(discord)).toMatchObject({
      shards: 6,
      session_start_limit: { total: 1000, remaining: 1000, max_concurrency: 2 },
    });
    const first = await identify(discord, [0, 6]);
    await guildsReceived(first, 2500);
    expect(await gatewayBot(discord)).toMatchObject({ session_start_limit: { remaining: 999 } });
  });

  it('closes with 4011 a session that would hold more than 2,500 guilds, and lets shards in', async () => {
    const discord = await start({ guildCount: 5000, identifyIntervalMs: 1 });
    const unsharded = await identify(discord);
    expect(await unsharded.closed).toBe(GATEWAY_CLOSE.shardingRequired);

    const shard = await identify(discord, [1, 2]);
    await guildsReceived(shard, 2500);
    const ready = shard.events.find((event) => event.t === 'READY');
    expect(ready?.d.shard).toEqual([1, 2]);
    expect(ready?.d.guilds).toHaveLength(2500);
    expect(discord.gatewaySessions()).toEqual([expect.objectContaining({ shard: [1, 2] })]);
  });

  it('closes with 4010 an identify for a shard that does not exist', async () => {
    const discord = await start({ identifyIntervalMs: 1 });
    const invalid = await identify(discord, [2, 2]);
    expect(await invalid.closed).toBe(GATEWAY_CLOSE.invalidShard);
    expect(discord.gatewayRefusals).toEqual([expect.objectContaining({ code: 4010, shard: [2, 2] })]);
  });

  it('closes with 4008 a second identify of one bucket within its window; other buckets go at once', async () => {
    const discord = await start({ guildCount: 3, maxConcurrency: 2, identifyIntervalMs: 60_000 });
    const zero = await identify(discord, [0, 4]);
    const one = await identify(discord, [1, 4]);
    const two = await identify(discord, [2, 4]);
    expect(await two.closed).toBe(GATEWAY_CLOSE.rateLimited);
    for (const connection of [zero, one])
      await waitFor(() => connection.events.some((event) => event.t === 'READY'), { what: 'READY' });
    expect(discord.gatewaySessions().map((session) => session.shard)).toEqual([
      [0, 4],
      [1, 4],
    ]);
  });

  it('routes an interaction only to the session of its guild shard', async () => {
    const discord = await start({ guildCount: 10, identifyIntervalMs: 1 });
    const zero = await identify(discord, [0, 2]);
    await guildsReceived(zero, 5);
    const one = await identify(discord, [1, 2]);
    await guildsReceived(one, 5);
    const guildId = discord.guildOnShard(1, 2);
    const sent = await discord.dispatchInteraction({ kind: 'command', name: 'help', guildId });
    await waitFor(() => one.events.some((event) => event.t === 'INTERACTION_CREATE'), {
      what: 'the interaction on shard 1',
    });
    expect(one.events.find((event) => event.t === 'INTERACTION_CREATE')?.d).toMatchObject({
      id: sent.id,
      guild_id: guildId,
    });
    expect(zero.events.some((event) => event.t === 'INTERACTION_CREATE')).toBe(false);
  });
});
