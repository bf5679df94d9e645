// /digest end to end: the real discord.js Client logged into the local fake Discord, the real
// dispatcher, the digest service over the real delivery engine, posting through client.rest.
// Services other than the digest's are not wired here (the composition root does that).
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_BOT_PERMISSIONS, PERMISSIONS } from '../support/fake-discord.ts';
import { run, setupOptions, startDigestBot, type DigestBody as Body } from '../support/digest-discord.ts';
import { waitFor } from '../support/wait.ts';

let running: { close(): Promise<void> } | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start() {
  const harness = await startDigestBot();
  running = harness;
  return harness;
}

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
      (r) => r.method === 'POST' && r.path === `/channels/${fake.channelId}/messages`,
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
