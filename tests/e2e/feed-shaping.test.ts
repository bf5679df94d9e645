// Admins shape what a channel feed posts, end to end through the fake Discord: templates with
// every placeholder, edits in place that never post a story twice, and the feed: autocomplete
// and /feed list that tell feeds apart.
import { afterEach, describe, expect, it } from 'vitest';
import { CHANNEL_TYPES, type FakeDiscord } from '../support/fake-discord.ts';
import { botMessages, channel, posts, run, startFeedBot, text, type Body } from '../support/feed-discord.ts';
import { waitFor } from '../support/wait.ts';

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

const EVERY_PLACEHOLDER =
  '{title}|{summary}|{url}|{source}|{sources}|{sourceCount}|{topics}|{names}|{published}|{story}|{image}';

async function addFeed(fake: FakeDiscord, channelId: string, topic = 'Science'): Promise<string> {
  const added = await run(fake, 'add', [channel(channelId), text('topic', topic)]);
  return /`(f-[a-z0-9]+)`/.exec(added.content ?? '')?.[1] as string;
}

async function autocomplete(fake: FakeDiscord, typed: string) {
  const sent = await fake.dispatchInteraction({
    kind: 'autocomplete',
    name: 'feed',
    options: [{ name: 'edit', type: 1, options: [{ name: 'feed', type: 3, value: typed, focused: true }] }],
  });
  const callback = await fake.waitForRequest((r) => r.path.startsWith(`/interactions/${sent.id}/`));
  return (callback.body as { data: { choices: { name: string; value: string }[] } }).data.choices;
}

const story = {
  title: 'Comet seen',
  sources: ['Daily Planet', 'Gazette'],
  entities: ['ESA'],
  text: ['Astronomers saw a comet.'],
  publishedAt: new Date(Date.now() - 3_600_000).toISOString(),
  imageUrl: 'https://img.example/comet.png',
};

describe('/feed edit and templates through the fake Discord', () => {
  it('posts a text template with every placeholder filled, section names and the channel timezone included', async () => {
    const { fake, feeds, shelf } = await start({ timeZoneOf: async () => 'Europe/Berlin' });
    const feedId = await addFeed(fake, fake.channelId);
    const edited = await run(fake, 'edit', [
      text('feed', feedId),
      text('template', EVERY_PLACEHOLDER),
      text('style', 'text'),
    ]);
    expect(edited.content).toContain(`Feed \`${feedId}\` changed (style, template)`);
    await feeds.onNewStories([shelf.put('s1', story)]);
    const [post] = posts(fake, fake.channelId);
    expect(post?.body).toMatchObject({ allowed_mentions: { parse: [] } });
    const [head, published, tail] = ((post?.body as Body).content ?? '').split(
      /\|(?=\d+ \w+ \d{4})|(?<=CES?T)\|/,
    );
    expect(head).toBe(
      'Comet seen|Astronomers saw a comet.|https://news.example/s1|Daily Planet|Daily Planet, Gazette|2|Science|ESA',
    );
    // Berlin is an hour or two ahead of UTC: the time reads in the channel's timezone.
    expect(published).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} CES?T$/);
    expect(tail).toBe('s1|https://img.example/comet.png');
  });

  it('refuses an unknown placeholder with the list of known ones, changing nothing', async () => {
    const { fake, allFeeds } = await start();
    const feedId = await addFeed(fake, fake.channelId);
    const refused = await run(fake, 'edit', [
      text('feed', feedId),
      text('template', '{title} by {{author}}'),
    ]);
    expect(refused.content).toContain('{{author}} (MonitoRSS; use {source})');
    expect(refused.content).toContain('{title}, {summary}, {url}, {source}, {sources}, {sourceCount}');
    expect((await allFeeds())[0]?.template).toBeUndefined();
  });

  it('edits a feed in place: the same id, and a story it already posted is never posted again', async () => {
    const { fake, feeds, shelf, allFeeds } = await start();
    const feedId = await addFeed(fake, fake.channelId);
    await feeds.onNewStories([shelf.put('s1', { title: 'Comet seen' })]);
    const edited = await run(fake, 'edit', [
      text('feed', feedId),
      text('topic', 'Business'),
      text('include', 'comet, market'),
      text('style', 'compact'),
    ]);
    expect(edited.content).toContain('topic Business, include comet, market');
    const stored = await allFeeds();
    expect(stored.map((feed) => feed.id)).toEqual([feedId]);
    expect(stored[0]).toMatchObject({ topic: { key: 'business' }, style: 'compact' });

    // The already-posted story now matches the edited feed too: it still is not posted again.
    shelf.put('s1', { title: 'Comet seen', topics: ['science', 'business'] });
    shelf.put('b1', { title: 'Market for comet dust', topics: ['business'] });
    expect(await feeds.onNewStories(['s1', 'b1'])).toMatchObject({ posted: 1 });
    const contents = botMessages(fake, fake.channelId).map((message) => message.content);
    expect(contents).toHaveLength(2);
    expect(contents[1]).toMatch(/^\*\*Market for comet dust\*\* · Example News · <https:/);

    const cleared = await run(fake, 'edit', [text('feed', feedId), text('clear', 'include, style')]);
    expect(cleared.content).toContain('changed (include, style)');
    expect((await allFeeds())[0]).not.toHaveProperty('include');
  });

  it('names the channel in the feed: autocomplete, and shows style, mention and threshold in /feed list', async () => {
    const { fake, addChannel } = await start();
    const live = await addChannel(CHANNEL_TYPES.text, 'live');
    const feedId = await addFeed(fake, live);
    await addFeed(fake, fake.channelId);
    const choices = await autocomplete(fake, 'live');
    expect(choices).toEqual([{ name: `#live · topic Science · ${feedId}`, value: feedId }]);

    await run(fake, 'edit', [
      text('feed', feedId),
      text('style', 'compact'),
      { name: 'min_sources', type: 4, value: 3 },
    ]);
    const list: Body = await run(fake, 'list');
    const fields = list.embeds?.find((embed) => embed.title === feedId)?.fields ?? [];
    expect(fields.find((field) => field.name === 'Posts')?.value).toBe(
      'Style: compact\nMention: none\nThreshold: 3 outlets',
    );
  });

  it('/feed preview shows the next post only to the admin, mention included, and posts nothing', async () => {
    const { fake, shelf } = await start();
    const feedId = await addFeed(fake, fake.channelId);
    shelf.put('s1', { title: 'Comet seen' });
    const before = fake.requests.length;
    const preview = await run(fake, 'preview', [text('feed', feedId)]);
    expect(preview.flags ?? 0).toBe(64);
    expect(preview.content).toContain('Preview of the next post in <#');
    expect(preview.embeds?.[0]?.title).toBe('Comet seen');
    const posted = fake.requests
      .slice(before)
      .filter((r) => r.method === 'POST' && r.path.startsWith('/channels/'));
    expect(posted).toEqual([]);
  });

  it('/feed test after a flood posts the newest matching story, the same one twice, and the ledger still posts it once for real', async () => {
    const { fake, feeds, shelf } = await start({ maxPostsPerRun: 2 });
    const feedId = await addFeed(fake, fake.channelId);
    // Arrivals a second apart after the feed was set up, the newest last.
    const ids = ['a', 'b', 'c'].map((id, index) =>
      shelf.put(id, {
        title: `Comet ${id}`,
        firstSeenAt: new Date(Date.now() + (index + 1) * 1000).toISOString(),
      }),
    );
    expect(await feeds.onNewStories(ids)).toMatchObject({ listed: 3 });
    for (let attempt = 0; attempt < 2; attempt += 1)
      expect((await run(fake, 'test', [text('feed', feedId)])).content).toContain(
        'Posted **Comet c** as a test',
      );
    const tests = botMessages(fake, fake.channelId).slice(1);
    expect(tests.map((message) => (message.embeds as { title: string }[])[0]?.title)).toEqual([
      'Comet c',
      'Comet c',
    ]);
    expect(tests.every((message) => String(message.content).includes('Test post'))).toBe(true);

    // A story tested before its run is still posted by the run, once.
    shelf.put('d', { title: 'Comet d', firstSeenAt: new Date(Date.now() + 10_000).toISOString() });
    await run(fake, 'test', [text('feed', feedId)]);
    expect(await feeds.onNewStories(['d'])).toMatchObject({ posted: 1 });
    expect(await feeds.onNewStories(['d'])).toMatchObject({ posted: 0 });
    const titles = botMessages(fake, fake.channelId).map(
      (message) => (message.embeds as { title: string }[] | undefined)?.[0]?.title,
    );
    expect(titles.filter((title) => title === 'Comet d')).toHaveLength(2);
  });

  it('/feed test that Discord refuses says why in Discord words and leaves the feed running', async () => {
    const { fake, shelf } = await start();
    const feedId = await addFeed(fake, fake.channelId);
    shelf.put('e', { title: 'Comet e', firstSeenAt: new Date(Date.now() + 1000).toISOString() });
    fake.failNext({ method: 'POST', pathPattern: /^\/channels\/\d+\/messages$/, status: 403, code: 50013 });
    const refused = await run(fake, 'test', [text('feed', feedId)]);
    expect(refused.content).toContain(
      'I could not post the test: I am missing a permission in the channel (Discord error 50013)',
    );
    const listed = await run(fake, 'list', []);
    expect(JSON.stringify(listed.embeds)).toContain('Running');
  });

  it("pings the chosen role in a new story's post only, allowing exactly that role, and never @everyone from an article", async () => {
    const { fake, feeds, shelf, client } = await start();
    const roleId = fake.addRole('news-desk', { mentionable: true });
    const quiet = fake.addRole('quiet');
    await waitFor(() => client.guilds.cache.get(fake.guildId)?.roles.cache.has(quiet) === true, {
      what: 'roles in the cache',
    });
    const added = await run(fake, 'add', [
      channel(fake.channelId),
      text('topic', 'Science'),
      { name: 'threads', type: 5, value: true },
    ]);
    const feedId = /`(f-[a-z0-9]+)`/.exec(added.content ?? '')?.[1] as string;
    const refused = await run(fake, 'edit', [
      text('feed', feedId),
      { name: 'mention', type: 8, value: quiet },
    ]);
    expect(refused.content).toContain('I cannot ping @quiet');
    expect(refused.content).toContain('not mentionable');
    const edited = await run(fake, 'edit', [
      text('feed', feedId),
      { name: 'mention', type: 8, value: roleId },
      text('template', '@everyone {title}'),
      text('style', 'text'),
    ]);
    expect(edited.content).toContain('changed (style, template, mention)');

    await feeds.onNewStories([
      shelf.put('s1', { title: '@everyone look up', text: ['@here a comet <@&1> was seen.'] }),
    ]);
    const [post] = posts(fake, fake.channelId);
    const body = post?.body as { content: string; allowed_mentions: unknown };
    expect(body.allowed_mentions).toEqual({ parse: [], roles: [roleId] });
    expect(body.content.startsWith(`<@&${roleId}>\n`)).toBe(true);
    expect(body.content).not.toMatch(/(^|[^\\\u200b])@(everyone|here)/);

    // The update in the story's thread pings nobody.
    shelf.put('s1', { title: '@everyone look up', sources: ['Example News', 'Other Wire'] });
    expect(await feeds.onNewStories(['s1'])).toMatchObject({ updated: 1 });
    const threadId = (botMessages(fake, fake.channelId)[0]?.id as string) ?? '';
    const update = posts(fake, threadId)[0]?.body as { content: string; allowed_mentions: unknown };
    expect(update.allowed_mentions).toEqual({ parse: [] });
    expect(update.content).not.toContain('<@&');
  });

  it("with min_sources:3 posts a story on its third outlet's copy, not before, then links later outlets in its thread", async () => {
    const { fake, feeds, shelf } = await start();
    const added = await run(fake, 'add', [
      channel(fake.channelId),
      text('topic', 'Science'),
      { name: 'threads', type: 5, value: true },
    ]);
    const feedId = /`(f-[a-z0-9]+)`/.exec(added.content ?? '')?.[1] as string;
    await run(fake, 'edit', [text('feed', feedId), { name: 'min_sources', type: 4, value: 3 }]);
    const outlets = ['Daily Planet', 'Gazette', 'Herald Tribune', 'Morning Post'];
    const copy = (count: number) =>
      shelf.put('s1', { title: 'Comet seen', sources: outlets.slice(0, count) });

    expect(await feeds.onNewStories([copy(1), shelf.put('lone', { title: 'Lone report' })])).toMatchObject({
      posted: 0,
    });
    expect(await feeds.onNewStories([copy(2)])).toMatchObject({ posted: 0 });
    expect(posts(fake, fake.channelId)).toHaveLength(0);
    expect(await feeds.onNewStories([copy(3)])).toMatchObject({ posted: 1 });
    const [post] = posts(fake, fake.channelId);
    const embed = (post?.body as Body).embeds?.[0];
    expect(embed?.title).toBe('Comet seen');
    // The post says why it went out now.
    expect((post?.body as { embeds: { footer: { text: string } }[] }).embeds[0]?.footer.text).toMatch(
      /^✅ Confirmed by 3 outlets · /,
    );
    expect(embed?.fields?.find((field) => field.name === 'Sources')?.value).toContain('Herald Tribune');

    expect(await feeds.onNewStories([copy(4), 'lone'])).toMatchObject({ posted: 0, updated: 1 });
    const threadId = botMessages(fake, fake.channelId)[0]?.id as string;
    expect(botMessages(fake, threadId).at(-1)?.content).toContain('**Also reported by** Morning Post.');
    expect(botMessages(fake, fake.channelId)).toHaveLength(1);
  });

  it('tags each forum post with the forum tags matching its sections and names, and those mapped with tags:, at most five', async () => {
    const { fake, feeds, shelf, addChannel } = await start();
    const tag = (id: string, name: string) => ({
      id,
      name,
      moderated: false,
      emoji_id: null,
      emoji_name: null,
    });
    const tags = [
      tag('11', 'science'),
      tag('12', 'ESA'),
      tag('13', 'Space'),
      tag('14', 'Chile'),
      tag('15', 'Mars'),
      tag('16', 'NASA'),
      tag('17', 'Business'),
    ];
    const forumId = await addChannel(CHANNEL_TYPES.forum, 'science-forum', { available_tags: tags });
    const feedId = await addFeed(fake, forumId);
    const refused = await run(fake, 'edit', [text('feed', feedId), text('tags', 'science=Astronomy')]);
    expect(refused.content).toContain('The forum has no tag "Astronomy"');
    const edited = await run(fake, 'edit', [
      text('feed', feedId),
      text('tags', 'Science=Space'),
      text('template', EVERY_PLACEHOLDER),
    ]);
    expect(edited.content).toContain('changed (template, tags)');

    await feeds.onNewStories([
      shelf.put('s1', { title: 'Comet seen', entities: ['esa', 'Chile', 'Mars', 'NASA', 'Peru'] }),
    ]);
    const [created] = fake.requests.filter(
      (r) => r.method === 'POST' && r.path === `/channels/${forumId}/threads` && r.status === 201,
    );
    expect((created?.body as { applied_tags: string[] }).applied_tags).toEqual([
      '13',
      '11',
      '12',
      '14',
      '15',
    ]);
    // The template is the post's card description, every placeholder filled.
    const card = (created?.body as { message: Body }).message.embeds?.[0];
    expect(card?.title).toBe('Comet seen');
    expect(card?.description).toMatch(
      /^Comet seen\|What happened in s1\.\|https:\/\/news\.example\/s1\|Example News\|Example News\|1\|Science\|esa, Chile, Mars, NASA, Peru\|\d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC\|s1\|$/,
    );
  });

  it('gives a new feed an id of its own: adding the original settings after an edit makes a second feed, and a feed stored under an old settings-hash id still edits and posts', async () => {
    const { fake, feeds, shelf, allFeeds, store } = await start();
    const first = await addFeed(fake, fake.channelId, 'Science');
    await run(fake, 'edit', [text('feed', first), text('topic', 'Business')]);
    const second = await addFeed(fake, fake.channelId, 'Science');
    expect(second).not.toBe(first);
    const stored = await allFeeds();
    expect(stored.map((feed) => [feed.id, feed.topic?.key]).sort()).toEqual(
      [
        [first, 'business'],
        [second, 'science'],
      ].sort(),
    );
    // The same settings again name the feed that has them: updated, not a third feed.
    const again = await run(fake, 'add', [channel(fake.channelId), text('topic', 'Science')]);
    expect(again.content).toContain(second);
    expect(await allFeeds()).toHaveLength(2);

    // A feed written before ids were random, under the hash of its first settings.
    const legacy = {
      ...(stored.find((feed) => feed.id === second) as (typeof stored)[number]),
      id: 'f-legacy42',
    };
    await feeds.remove(fake.guildId, second);
    await store.set(legacy.id, { ...legacy, topic: { key: 'science', label: 'Science', kind: 'section' } });
    const edited = await run(fake, 'edit', [text('feed', 'f-legacy42'), text('style', 'compact')]);
    expect(edited.content).toContain('Feed `f-legacy42` changed (style)');
    expect(await feeds.onNewStories([shelf.put('s1', { title: 'Comet seen' })])).toMatchObject({ posted: 1 });
    expect(botMessages(fake, fake.channelId).at(-1)?.content).toMatch(/^\*\*Comet seen\*\* · /);
  });
});
