// The fake Discord is only worth trusting if the real discord.js Client works against it: these
// tests log a real Client in and drive replies, deferrals, rate limits, errors and resumes.
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ActionRowBuilder,
  ButtonInteraction,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  ModalBuilder,
  PermissionFlagsBits,
  TextInputBuilder,
  TextInputStyle,
  type Interaction,
  type TextChannel,
} from 'discord.js';
import {
  DEFAULT_BOT_PERMISSIONS,
  PERMISSIONS,
  startFakeDiscord,
  type FakeDiscord,
} from '../support/fake-discord.ts';
import { waitFor } from '../support/wait.ts';

let fake: FakeDiscord | undefined;
let client: Client | undefined;

afterEach(async () => {
  await client?.destroy();
  await fake?.close();
  client = undefined;
  fake = undefined;
});

async function connect(
  options: Parameters<typeof startFakeDiscord>[0] = {},
): Promise<{ fake: FakeDiscord; client: Client }> {
  fake = await startFakeDiscord({ heartbeatIntervalMs: 500, ...options });
  client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.restUrl } });
  const ready = once(client, Events.ClientReady);
  await client.login(fake.token);
  await ready;
  return { fake, client };
}

/** Runs `handler` on the next interaction and resolves with what it returned or threw. */
function onNextInteraction<T>(bot: Client, handler: (interaction: Interaction) => Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    bot.once(Events.InteractionCreate, (interaction) => {
      handler(interaction).then(resolve, reject);
    });
  });
}

function textChannel(bot: Client, id: string): TextChannel {
  const channel = bot.channels.cache.get(id);
  if (channel === undefined || !channel.isTextBased() || channel.isDMBased())
    throw new Error('no text channel');
  return channel as TextChannel;
}

describe('fake Discord with the real discord.js Client', () => {
  it('logs in and caches the guild, its channel and the bot member with its permissions', async () => {
    const { fake, client } = await connect();
    const guild = client.guilds.cache.get(fake.guildId);
    expect(guild?.name).toBe('Herald Test Guild');
    expect(client.user?.id).toBe(fake.botUserId);
    expect(client.application?.id).toBe(fake.applicationId);
    const me = guild?.members.me;
    expect(me).toBeTruthy();
    const permissions = textChannel(client, fake.channelId).permissionsFor(me!);
    expect(permissions.has(PermissionFlagsBits.SendMessages | PermissionFlagsBits.EmbedLinks)).toBe(true);
    expect(permissions.has(PermissionFlagsBits.ManageGuild)).toBe(false);
    expect(fake.identifyCount).toBe(1);
    expect(fake.requests.some((request) => request.path === '/gateway/bot')).toBe(true);
  });

  it('records a reply as a type 4 callback answered with 204', async () => {
    const { fake, client } = await connect();
    const handled = onNextInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a command');
      expect(interaction.commandName).toBe('ping');
      expect(interaction.options.getString('topic')).toBe('space');
      await interaction.reply({ content: 'pong', allowedMentions: { parse: [] } });
    });
    const sent = await fake.dispatchInteraction({
      kind: 'command',
      name: 'ping',
      options: [{ name: 'topic', type: 3, value: 'space' }],
    });
    await handled;
    const callback = fake.callbackFor(sent.id);
    expect(callback?.status).toBe(204);
    expect(callback?.body).toMatchObject({
      type: 4,
      data: { content: 'pong', allowed_mentions: { parse: [] } },
    });
    expect(fake.messagesIn(fake.channelId).at(-1)?.content).toBe('pong');
  });

  it('records deferReply then editReply as a type 5 callback and a PATCH of @original', async () => {
    const { fake, client } = await connect();
    const handled = onNextInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a command');
      await interaction.deferReply();
      await interaction.editReply({ content: 'your brief', allowedMentions: { parse: [] } });
      await interaction.followUp({ content: 'and more', allowedMentions: { parse: [] } });
    });
    const sent = await fake.dispatchInteraction({ kind: 'command', name: 'brief' });
    await handled;
    expect(fake.callbackFor(sent.id)?.body).toMatchObject({ type: 5 });
    const edit = fake.requests.find(
      (request) => request.method === 'PATCH' && request.path.endsWith('/messages/@original'),
    );
    expect(edit?.path).toBe(`/webhooks/${fake.applicationId}/${sent.token}/messages/@original`);
    expect(edit?.status).toBe(200);
    expect(fake.messagesIn(fake.channelId).map((message) => message.content)).toEqual([
      'your brief',
      'and more',
    ]);
  });

  it('answers a callback made more than 3 s after dispatch with 10062 Unknown interaction', async () => {
    const { fake, client } = await connect();
    const handled = onNextInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a command');
      fake.advanceClock(3001);
      return interaction.reply({ content: 'too late' }).then(
        () => null,
        (error: unknown) => error,
      );
    });
    await fake.dispatchInteraction({ kind: 'command', name: 'slow' });
    const error = await handled;
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).code).toBe(10062);
  });

  it('lets discord.js wait out an injected 429 and send the message once', async () => {
    const { fake, client } = await connect();
    fake.failNext({
      method: 'POST',
      pathPattern: /^\/channels\/\d+\/messages$/,
      status: 429,
      retryAfter: 0.05,
    });
    const message = await textChannel(client, fake.channelId).send({
      content: 'hello',
      allowedMentions: { parse: [] },
    });
    expect(message.content).toBe('hello');
    const posts = fake.requests.filter(
      (request) => request.method === 'POST' && request.path === `/channels/${fake.channelId}/messages`,
    );
    expect(posts.map((request) => request.status)).toEqual([429, 200]);
    expect(fake.messagesIn(fake.channelId)).toHaveLength(1);
  });

  it('surfaces an injected 50013 and a real missing permission as DiscordAPIError 50013', async () => {
    const { fake, client } = await connect();
    const channel = textChannel(client, fake.channelId);
    fake.failNext({ pathPattern: /^\/channels\/\d+\/messages$/, status: 403, code: 50013 });
    await expect(channel.send('x')).rejects.toMatchObject({ code: 50013, status: 403 });
    fake.setBotPermissions(DEFAULT_BOT_PERMISSIONS & ~PERMISSIONS.SendMessages);
    await expect(channel.send('x')).rejects.toBeInstanceOf(DiscordAPIError);
    await waitFor(() => !channel.permissionsFor(client.user!)?.has(PermissionFlagsBits.SendMessages), {
      what: 'role update',
    });
    expect(fake.messagesIn(fake.channelId)).toHaveLength(0);
  });

  it('resumes after dropped gateway connections and keeps handling interactions', async () => {
    const { fake, client } = await connect();
    fake.dropConnections();
    await waitFor(() => fake.resumeCount === 1, { what: 'resume' });
    const handled = onNextInteraction(client, async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply({ content: 'still here' });
    });
    const sent = await fake.dispatchInteraction({ kind: 'command', name: 'ping' });
    await handled;
    expect(fake.callbackFor(sent.id)?.status).toBe(204);
    expect(fake.identifyCount).toBe(1);
  });

  it('returns the original message for a repeated nonce with enforce_nonce', async () => {
    const { fake, client } = await connect();
    const channel = textChannel(client, fake.channelId);
    const first = await channel.send({ content: 'digest', nonce: 'digest-2024-01-01', enforceNonce: true });
    const second = await channel.send({ content: 'digest', nonce: 'digest-2024-01-01', enforceNonce: true });
    expect(second.id).toBe(first.id);
    expect(fake.messagesIn(fake.channelId)).toHaveLength(1);
  });

  it('rejects an over-limit embed with 400 50035', async () => {
    const { fake, client } = await connect();
    const send = textChannel(client, fake.channelId).send({
      embeds: [{ title: 'ok', description: 'd'.repeat(4097) }],
    });
    await expect(send).rejects.toMatchObject({ code: 50035, status: 400 });
    const request = fake.requests.at(-1);
    expect(request?.response).toMatchObject({
      errors: { embeds: { 0: { description: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } },
    });
  });

  it('parses payload_json and files from a multipart message', async () => {
    const { fake, client } = await connect();
    await textChannel(client, fake.channelId).send({
      content: 'with file',
      files: [{ attachment: Buffer.from('hello file'), name: 'a.txt' }],
    });
    const request = fake.requests.find(
      (candidate) => candidate.method === 'POST' && candidate.path.endsWith('/messages'),
    );
    expect(request?.headers['content-type']).toMatch(/^multipart\/form-data/);
    expect(request?.body).toMatchObject({ content: 'with file' });
    expect(request?.files).toEqual([expect.objectContaining({ filename: 'a.txt', size: 10 })]);
  });

  it('delivers autocomplete, button and modal interactions with their callbacks', async () => {
    const { fake, client } = await connect();
    const autocomplete = onNextInteraction(client, async (interaction) => {
      if (!interaction.isAutocomplete()) throw new Error('expected autocomplete');
      expect(interaction.options.getFocused()).toBe('spa');
      await interaction.respond([{ name: 'space', value: 'space' }]);
    });
    const complete = await fake.dispatchInteraction({
      kind: 'autocomplete',
      name: 'subscribe',
      options: [{ name: 'topic', type: 3, value: 'spa', focused: true }],
    });
    await autocomplete;
    expect(fake.callbackFor(complete.id)?.body).toMatchObject({
      type: 8,
      data: { choices: [{ name: 'space' }] },
    });

    const button = onNextInteraction(client, async (interaction) => {
      if (!(interaction instanceof ButtonInteraction)) throw new Error('expected a button');
      expect(interaction.customId).toBe('more:1');
      await interaction.update({ content: 'expanded', components: [] });
    });
    const pressed = await fake.dispatchInteraction({ kind: 'button', customId: 'more:1' });
    await button;
    expect(fake.callbackFor(pressed.id)?.body).toMatchObject({ type: 7 });
    expect(fake.messagesIn(fake.channelId).at(-1)?.content).toBe('expanded');

    const modalShown = onNextInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a command');
      const input = new TextInputBuilder()
        .setCustomId('text')
        .setLabel('Article')
        .setStyle(TextInputStyle.Paragraph);
      const modal = new ModalBuilder()
        .setCustomId('paste')
        .setTitle('Paste an article')
        .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(input));
      await interaction.showModal(modal);
    });
    const opened = await fake.dispatchInteraction({ kind: 'command', name: 'paste' });
    await modalShown;
    expect(fake.callbackFor(opened.id)?.body).toMatchObject({ type: 9, data: { custom_id: 'paste' } });

    const submitted = onNextInteraction(client, async (interaction) => {
      if (!interaction.isModalSubmit()) throw new Error('expected a modal submit');
      expect(interaction.fields.getTextInputValue('text')).toBe('Some article text');
      await interaction.reply({ content: 'saved', flags: 64 });
    });
    const submit = await fake.dispatchInteraction({
      kind: 'modal',
      customId: 'paste',
      fields: { text: 'Some article text' },
    });
    await submitted;
    expect(fake.callbackFor(submit.id)?.status).toBe(204);
    expect(fake.messagesIn(fake.channelId).at(-1)).toMatchObject({ content: 'saved', flags: 64 });
  });

  it('gives interactions the member permissions a test asks for', async () => {
    const { fake, client } = await connect();
    const seen = onNextInteraction(client, async (interaction) =>
      interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild),
    );
    await fake.dispatchInteraction({
      kind: 'command',
      name: 'config',
      memberPermissions: PERMISSIONS.ViewChannel,
    });
    expect(await seen).toBe(false);
  });

  it('opens a DM channel and posts to it', async () => {
    const { fake, client } = await connect();
    const user = await client.users.fetch(fake.userId);
    const message = await user.send({ content: 'your topic has news', allowedMentions: { parse: [] } });
    const dm = fake.dmChannelOf(fake.userId);
    expect(dm).toBe(message.channelId);
    expect(fake.messagesIn(dm!)).toHaveLength(1);
  });
});
