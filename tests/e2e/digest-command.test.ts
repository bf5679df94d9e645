// /digest end to end: the real discord.js Client logged into the local fake Discord, the real
// dispatcher, the digest service over the real delivery engine, posting through client.rest.
// Services other than the digest's are not wired here (the composition root does that).
import { afterEach, describe, expect, it } from 'vitest';
import { digestCommand } from '../../commands/digest.ts';
import { createTaxonomy } from '../../src/brief/topics/taxonomy.ts';
import { createDigestComposer } from '../../src/digest/composer.ts';
import { createDigestDelivery } from '../../src/digest/delivery.ts';
import { createDigestService } from '../../src/digest/digest-service.ts';
import type { DigestConfig } from '../../src/digest/digest-types.ts';
import { createGuildNotifier } from '../../src/delivery/notices.ts';
import { noticeText, surfaceWords } from '../../src/render/delivery-words.ts';
import { UNPACED } from '../../src/delivery/pacer.ts';
import { createDiscordBot, type DiscordBot } from '../../src/discord/client.ts';
import { createDiscordTransport } from '../../src/discord/connect.ts';
import { createDispatcher } from '../../src/discord/dispatcher.ts';
import { createLogger } from '../../src/logger.ts';
import type { Services } from '../../src/interaction/services.ts';
import { briefItem, createFakeBrief } from '../support/digest-stories.ts';
import { memoryCourierStore, testCourier } from '../support/test-courier.ts';
import {
  DEFAULT_BOT_PERMISSIONS,
  PERMISSIONS,
  startFakeDiscord,
  type CommandOptionInput,
  type FakeDiscord,
} from '../support/fake-discord.ts';
import { createMemoryClaimStore, createMemoryRecordStore } from '../support/memory-stores.ts';
import { runSubcommand } from '../support/fake-discord/subcommand-reply.ts';
import { waitFor } from '../support/wait.ts';

let fake: FakeDiscord | undefined;
let bot: DiscordBot | undefined;
afterEach(async () => {
  await bot?.stop();
  await fake?.close();
  bot = undefined;
  fake = undefined;
});

type Body = {
  type?: number;
  data?: Body;
  content?: string;
  embeds?: { title?: string; fields?: { name: string; value: string }[] }[];
  flags?: number;
  choices?: { name: string; value: string }[];
};

async function start() {
  fake = await startFakeDiscord({ heartbeatIntervalMs: 500 });
  const log = createLogger('silent');
  const now = Date.now;
  const digests = createMemoryRecordStore<DigestConfig>(now);
  const taxonomy = createTaxonomy({
    version: 1,
    sections: [{ key: 'science', name: 'Science', description: 'Science', terms: ['study'] }],
  });
  const brief = createFakeBrief([
    briefItem('s1', { title: 'Comet seen', firstSeenAt: new Date(now()).toISOString() }),
  ]);
  // The client exists before login; the dispatcher is built once the services that need it are.
  bot = createDiscordBot({ token: fake.token, apiUrl: fake.restUrl, log });
  const client = bot.client;
  const { sink, access } = createDiscordTransport(bot, UNPACED);
  const claims = createMemoryClaimStore(now);
  const courier = testCourier(memoryCourierStore(now, claims), sink, { now });
  const notifier = createGuildNotifier({
    courier,
    access,
    word: (notice) => noticeText(notice, surfaceWords('discord')),
    log,
  });
  const delivery = createDigestDelivery({
    digests,
    lane: courier.lane('digests', { claimTtlMs: 600_000 }),
    composer: createDigestComposer({ brief, now, taxonomy }),
    notifier,
    log,
    now,
    graceMs: 3 * 3_600_000,
  });
  const service = createDigestService({
    digests,
    delivery,
    access,
    notifier,
    now,
    taxonomy,
    limits: { maxPerGuild: 10, defaultCount: 5 },
  });
  // Only what /digest reads; the rest of Services belongs to other areas.
  const services = { digests: service, taxonomy, brief, now, log } as unknown as Services;
  const dispatcher = createDispatcher({ commands: [digestCommand], services, log });
  await bot.start((interaction) => dispatcher.handle(interaction));
  return { fake, digests, service, client };
}

async function run(
  discord: FakeDiscord,
  subcommand: string,
  options: CommandOptionInput[] = [],
  memberPermissions?: bigint,
): Promise<Body> {
  return (await runSubcommand(discord, 'digest', subcommand, options, memberPermissions)).reply;
}

const setupOptions: CommandOptionInput[] = [
  { name: 'time', type: 3, value: '08:00' },
  { name: 'timezone', type: 3, value: 'Europe/Berlin' },
  { name: 'topics', type: 3, value: 'Science' },
];

describe('/digest through the fake Discord', () => {
  it('sets up a digest for the current channel, shows it, and posts it now with the nonce and no mentions', async () => {
    const { fake, digests } = await start();
    const setup = await run(fake, 'setup', setupOptions);
    expect(setup.content).toContain(
      `Set up: <#${fake.channelId}> every day at 08:00 (Europe/Berlin), Science, up to 5 stories`,
    );
    expect(Object.values(digests.snapshot())).toMatchObject([
      { channelId: fake.channelId, guildId: fake.guildId, topics: ['science'] },
    ]);

    const show = await run(fake, 'show');
    expect(show.embeds?.[0]?.fields?.find((f) => f.name === 'Time')?.value).toBe('08:00 (Europe/Berlin)');

    const now = await run(fake, 'now');
    expect(now.content).toContain('Posted the digest');
    const post = fake.requests.find(
      (r) => r.method === 'POST' && r.path === `/channels/${fake?.channelId}/messages`,
    );
    expect(post?.body).toMatchObject({
      enforce_nonce: true,
      allowed_mentions: { parse: [] },
      embeds: [{ title: 'Comet seen' }],
    });
    expect(typeof (post?.body as { nonce?: unknown }).nonce).toBe('string');
  });

  it('refuses setup naming the permission Herald lacks in the channel, saving nothing', async () => {
    const { fake, digests, client } = await start();
    fake.setBotPermissions(DEFAULT_BOT_PERMISSIONS & ~PERMISSIONS.EmbedLinks);
    await waitFor(
      () =>
        client.guilds.cache.get(fake.guildId)?.members.me?.permissions.has(PERMISSIONS.EmbedLinks) === false,
      { what: 'role update' },
    );
    const reply = await run(fake, 'setup', setupOptions);
    expect(reply.content).toContain('missing Embed Links');
    expect(digests.snapshot()).toEqual({});
  });

  it('checks Manage Server in the handler, not only through default permissions', async () => {
    const { fake, digests } = await start();
    const reply = await run(fake, 'setup', setupOptions, PERMISSIONS.ViewChannel | PERMISSIONS.SendMessages);
    expect(reply.content).toContain('Manage Server');
    expect(digests.snapshot()).toEqual({});
  });

  it('disables a digest whose channel Herald can no longer post in, and /digest show says why', async () => {
    const { fake, service } = await start();
    await run(fake, 'setup', setupOptions);
    fake.setBotPermissions(PERMISSIONS.ViewChannel);
    await expect(run(fake, 'now')).resolves.toMatchObject({ content: expect.stringContaining('paused') });
    const show = await run(fake, 'show');
    expect(show.embeds?.[0]?.fields?.find((f) => f.name === 'State')?.value).toMatch(/^Off: .*50013/);
    expect((await service.list(fake.guildId))[0]?.enabled).toBe(false);
  });

  it('posts /digest now at once after a failed one once the admin fixed the channel and ran setup again', async () => {
    const { fake, client } = await start();
    await run(fake, 'setup', setupOptions);
    fake.setBotPermissions(PERMISSIONS.ViewChannel);
    await expect(run(fake, 'now')).resolves.toMatchObject({ content: expect.stringContaining('paused') });
    fake.setBotPermissions(DEFAULT_BOT_PERMISSIONS);
    await waitFor(
      () =>
        client.guilds.cache.get(fake.guildId)?.members.me?.permissions.has(PERMISSIONS.EmbedLinks) === true,
      { what: 'role update' },
    );
    await expect(run(fake, 'setup', setupOptions)).resolves.toMatchObject({
      content: expect.stringContaining('Updated'),
    });
    const now = await run(fake, 'now');
    expect(now.content).toContain('Posted the digest');
    expect(
      fake.messagesIn(fake.channelId).filter((m) => (m.embeds as unknown[] | undefined)?.length),
    ).toHaveLength(1);
  });

  it('suggests IANA timezones for what was typed', async () => {
    const { fake } = await start();
    const sent = await fake.dispatchInteraction({
      kind: 'autocomplete',
      name: 'digest',
      options: [
        { name: 'setup', type: 1, options: [{ name: 'timezone', type: 3, value: 'berl', focused: true }] },
      ],
    });
    const callback = await fake.waitForRequest((r) => r.path.startsWith(`/interactions/${sent.id}/`));
    expect((callback.body as Body).data?.choices).toEqual([
      { name: 'Europe/Berlin', value: 'Europe/Berlin' },
    ]);
  });
});
