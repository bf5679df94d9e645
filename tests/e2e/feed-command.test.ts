// Channel feeds end to end: the real discord.js Client logged into the local fake Discord, the
// real dispatcher and /feed handler, the feed service and delivery over a memory store, posting
// through the Discord adapter. Stories arrive as the ingest's change notification delivers them.
import { afterEach, describe, expect, it } from 'vitest';
import { CHANNEL_TYPES, DEFAULT_BOT_PERMISSIONS, PERMISSIONS, type Json } from '../support/fake-discord.ts';
import { botMessages, channel, posts, run, startFeedBot, text, type Body } from '../support/feed-discord.ts';
import { feedCommand } from '../../commands/feed.ts';

let running: { close(): Promise<void> } | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(options: Parameters<typeof startFeedBot>[0] = {}) {
  const harness = await startFeedBot(options);
  running = harness;
  return harness;
}

describe('/feed through the fake Discord', () => {
  it('posts each new matching story into a text channel once, with no mentions, and nothing old or off-topic', async () => {
    const { fake, feeds, shelf } = await start();
    const added = await run(fake, 'add', [channel(fake.channelId), text('topic', 'Science')]);
    expect(added.content).toMatch(/^Added feed `f-[a-z0-9]+`: <#\d+>, topic Science\./);

    const ids = [
      shelf.put('s1', { title: 'Comet seen over the @everyone bay' }),
      shelf.put('b1', { title: 'Markets rally', topics: ['business'] }),
      shelf.put('old', {
        title: 'An old comet story',
        publishedAt: new Date(Date.now() - 100 * 3_600_000).toISOString(),
      }),
      shelf.put('back', { title: 'A backlog comet story', backlog: true }),
    ];
    expect(await feeds.onNewStories(ids)).toMatchObject({ posted: 1 });
    const [post] = posts(fake, fake.channelId);
    expect(post?.body).toMatchObject({
      allowed_mentions: { parse: [] },
      enforce_nonce: true,
      embeds: [{ title: 'Comet seen over the \\@everyone bay' }],
    });
    // Another run with the same story (a restart, a second instance) posts nothing.
    expect(await feeds.onNewStories(ids)).toMatchObject({ posted: 0 });
    expect(botMessages(fake, fake.channelId)).toHaveLength(1);
  });

  it('makes every story a forum post in a forum channel, and updates it there', async () => {
    const { fake, feeds, shelf, addChannel } = await start();
    const forumId = await addChannel(CHANNEL_TYPES.forum, 'science-forum');
    const added = await run(fake, 'add', [channel(forumId), text('topic', 'science')]);
    expect(added.content).toContain('a forum post per story');
    await feeds.onNewStories([
      shelf.put('s1', { title: 'Comet seen' }),
      shelf.put('s2', { title: 'Moon dust study' }),
    ]);
    const created = fake.requests.filter(
      (r) => r.method === 'POST' && r.path === `/channels/${forumId}/threads` && r.status === 201,
    );
    expect(created.map((r) => (r.body as { name: string }).name)).toEqual(['Comet seen', 'Moon dust study']);
    expect(created[0]?.body).toMatchObject({
      message: { allowed_mentions: { parse: [] }, embeds: [{ title: 'Comet seen' }] },
    });
    const threadId = (created[0]?.response as { id: string }).id;
    expect(fake.channel(threadId)).toMatchObject({ type: CHANNEL_TYPES.publicThread, parent_id: forumId });

    // A syndicated copy goes into the story's post, not into a second post.
    shelf.put('s1', { title: 'Comet seen', sources: ['Example News', 'Other Wire'] });
    expect(await feeds.onNewStories(['s1'])).toMatchObject({ posted: 0, updated: 1 });
    expect(botMessages(fake, threadId).at(-1)?.content).toContain('**Also reported by** Other Wire.');
    expect(
      fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${forumId}/threads`),
    ).toHaveLength(2);
  });

  it('starts a thread per story and posts a syndicated copy as an update in it, never a second message', async () => {
    const { fake, feeds, shelf, addChannel } = await start();
    const plain = await addChannel(CHANNEL_TYPES.text, 'plain');
    await run(fake, 'add', [
      channel(fake.channelId),
      text('topic', 'Science'),
      { name: 'threads', type: 5, value: true },
    ]);
    await run(fake, 'add', [channel(plain), text('topic', 'Science')]);
    await feeds.onNewStories([shelf.put('s1', { title: 'Comet seen', text: ['A comet was seen.'] })]);
    const [message] = botMessages(fake, fake.channelId);
    const threadId = message?.id as string;
    expect(fake.channel(threadId)).toMatchObject({
      type: CHANNEL_TYPES.publicThread,
      name: 'Comet seen',
      parent_id: fake.channelId,
    });

    // The same story arrives from another source with more to say (the ingest merged the copy).
    shelf.put('s1', {
      title: 'Comet seen',
      sources: ['Example News', 'Other Wire'],
      text: ['A comet was seen.', 'It will return in 2031.'],
    });
    expect(await feeds.onNewStories(['s1'])).toMatchObject({ posted: 0, updated: 1 });
    const [update] = botMessages(fake, threadId);
    expect(update?.content).toContain('**Also reported by** Other Wire.');
    expect(update?.content).toContain('It will return in 2031.');
    expect(update?.content).not.toContain('A comet was seen.');
    expect(botMessages(fake, fake.channelId)).toHaveLength(1);
    // Without threads the copy is left out.
    expect(botMessages(fake, plain)).toHaveLength(1);
    // The same version again says nothing more.
    await feeds.onNewStories(['s1']);
    expect(botMessages(fake, threadId)).toHaveLength(1);
  });

  it('keeps what the include regex matches and leaves out excluded words', async () => {
    const { fake, feeds, shelf } = await start();
    const added = await run(fake, 'add', [
      channel(fake.channelId),
      text('topic', 'Science'),
      text('include', '/comet|eclipse/'),
      text('exclude', 'rumour, hoax'),
    ]);
    expect(added.content).toContain('include /comet|eclipse/');
    await feeds.onNewStories([
      shelf.put('s1', { title: 'Comet seen over the bay' }),
      shelf.put('s2', { title: 'Comet rumour spreads online' }),
      shelf.put('s3', { title: 'Rocket launch delayed' }),
      shelf.put('s4', { title: 'Total Eclipse next spring' }),
    ]);
    expect(posts(fake, fake.channelId).map((r) => (r.body as Body).embeds?.[0]?.title)).toEqual([
      'Comet seen over the bay',
      'Total Eclipse next spring',
    ]);
  });

  it('refuses a regex the linear-time engine cannot run, with the reason, saving nothing', async () => {
    const { fake, allFeeds } = await start();
    const reply = await run(fake, 'add', [
      channel(fake.channelId),
      text('topic', 'Science'),
      text('include', '/(a+)\\1/'),
    ]);
    expect(reply.content).toContain('I cannot run the include regex safely: invalid escape sequence');
    expect(reply.flags).toBe(64);
    expect(await allFeeds()).toEqual([]);
  });

  it('posts one message listing the headlines when a run brings more than feeds.maxPostsPerRun', async () => {
    const { fake, feeds, shelf } = await start({ maxPostsPerRun: 3 });
    await run(fake, 'add', [channel(fake.channelId), text('topic', 'Science')]);
    const ids = ['s1', 's2', 's3', 's4', 's5'].map((id) => shelf.put(id, { title: `Headline ${id}` }));
    expect(await feeds.onNewStories(ids)).toMatchObject({ posted: 0, listed: 5 });
    const [flood] = botMessages(fake, fake.channelId);
    expect(flood?.content).toContain('**5 new stories for Science**');
    for (const id of ids) expect(flood?.content).toContain(`Headline ${id}`);
    expect(botMessages(fake, fake.channelId)).toHaveLength(1);
    await feeds.onNewStories(ids);
    expect(botMessages(fake, fake.channelId)).toHaveLength(1);
  });

  it('waits out a 429 and posts once', async () => {
    const { fake, feeds, shelf } = await start();
    await run(fake, 'add', [channel(fake.channelId), text('topic', 'Science')]);
    fake.failNext({
      method: 'POST',
      pathPattern: new RegExp(`^/channels/${fake.channelId}/messages$`),
      status: 429,
      retryAfter: 0.05,
    });
    expect(await feeds.onNewStories([shelf.put('s1')])).toMatchObject({ posted: 1 });
    expect(fake.requests.some((r) => r.status === 429 && r.injected)).toBe(true);
    expect(botMessages(fake, fake.channelId)).toHaveLength(1);
  });

  it('pauses the feed on 50013 with the reason in /feed list and one notice, re-arms on resume, then posts what was kept back', async () => {
    const { fake, feeds, shelf, addChannel } = await start();
    const target = await addChannel(CHANNEL_TYPES.text, 'locked');
    const added = await run(fake, 'add', [channel(target), text('topic', 'Science')]);
    const feedId = /`(f-[a-z0-9]+)`/.exec(added.content ?? '')?.[1] as string;
    const forbidden = {
      method: 'POST',
      pathPattern: new RegExp(`^/channels/${target}/messages$`),
      status: 403 as const,
      code: 50013,
      times: 100,
    };
    fake.failNext(forbidden);
    expect(await feeds.onNewStories([shelf.put('s1')])).toMatchObject({ paused: 1, posted: 0 });
    const list = await run(fake, 'list');
    expect(list.embeds?.[0]?.fields?.[0]?.value).toBe(
      'Paused: I am missing a permission in the channel (Discord error 50013)',
    );
    const notices = (): Json[] =>
      botMessages(fake, fake.channelId).filter((m) => String(m.content).includes('is paused'));
    expect(notices()).toHaveLength(1);
    expect(notices()[0]?.content).toContain(`<#${target}>`);

    // Paused: later stories are not tried, and no second notice.
    await feeds.onNewStories([shelf.put('s2')]);
    expect(notices()).toHaveLength(1);
    expect(fake.requests.filter((r) => r.path === `/channels/${target}/messages`)).toHaveLength(1);

    // Resumed but still broken: paused again, and told again (the notice was re-armed).
    const resumed = await run(fake, 'resume', [text('feed', feedId)]);
    expect(resumed.content).toContain('runs again');
    await feeds.onNewStories([shelf.put('s3')]);
    expect(notices()).toHaveLength(2);

    // Fixed and resumed: the next run posts the new story and those the fault kept back (s2
    // arrived while the feed was paused: it was never tried).
    fake.clearFaults();
    await run(fake, 'resume', [text('feed', feedId)]);
    expect(await feeds.onNewStories([shelf.put('s4')])).toMatchObject({ posted: 3 });
    expect(posts(fake, target).map((r) => (r.body as Body).embeds?.[0]?.title)).toEqual([
      'Story s1',
      'Story s3',
      'Story s4',
    ]);
  });

  it('refuses a member without Manage Server, privately, saving nothing', async () => {
    const { fake, allFeeds } = await start();
    const reply = await run(
      fake,
      'add',
      [channel(fake.channelId), text('topic', 'Science')],
      PERMISSIONS.ViewChannel | PERMISSIONS.SendMessages,
    );
    expect(reply.content).toContain('Manage Server');
    expect(reply.flags).toBe(64);
    expect(await allFeeds()).toEqual([]);
    expect(feedCommand.data.default_member_permissions).toBe(String(PERMISSIONS.ManageGuild));
  });

  it('checks its own thread permissions before saving a feed with threads', async () => {
    const { fake, allFeeds } = await start({ botPermissions: DEFAULT_BOT_PERMISSIONS });
    const reply = await run(fake, 'add', [
      channel(fake.channelId),
      text('topic', 'Science'),
      { name: 'threads', type: 5, value: true },
    ]);
    expect(reply.content).toContain('missing Create Public Threads');
    expect(await allFeeds()).toEqual([]);
  });
});
