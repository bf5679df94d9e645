// The ingest job end to end on a real store: feeds served by a local HTTP server, fetched by
// the real safe fetcher (loopback allowed for this test only), parsed, merged and stored.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { allCommands } from '../../commands/index.ts';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { createLogger } from '../../src/logger.ts';
import { createHerald, type Herald } from '../../src/app/herald.ts';
import { quietTransport } from '../support/quiet-transport.ts';
import { createSafeFetcher } from '../../src/news/safe-fetch.ts';
import { readerIn } from '../../src/news/types.ts';
import { createFixtureServer, type FixtureServer } from '../support/fixture-server.ts';

const HOUR = 3_600_000;
let clock = Date.parse('2026-03-02T12:00:00Z');
let server: FixtureServer;
let herald: Herald;
let configDir: string | undefined;

// Each topic gets its own wording: syndicated-copy detection compares long word runs, so
// stories built from one template would (rightly) look like copies of each other.
const WORDS = [
  'council',
  'engineers',
  'budget',
  'residents',
  'contract',
  'weather',
  'schedule',
  'minister',
  'survey',
  'volunteers',
  'traffic',
  'museum',
  'harvest',
  'report',
  'station',
  'election',
  'factory',
  'river',
  'school',
  'festival',
];
function paragraphs(topic: string, n = 5): string {
  let seed = [...topic].reduce((sum, c) => sum * 31 + c.charCodeAt(0), 7) >>> 0;
  const word = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return WORDS[seed % WORDS.length];
  };
  return Array.from(
    { length: n },
    (_, i) =>
      `<p>${topic} update ${i + 1}: the ${word()} and the ${word()} met the ${word()} near the ${word()}, while ${word()} plans for the ${word()} and ${word()} moved ahead with ${word()} support from the ${word()}.</p>`,
  ).join('');
}

function rss(
  items: { guid: string; title: string; link: string; date: string; body?: string; teaser?: string }[],
): string {
  return `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Fixture Wire</title><link>https://wire.example/</link>${items
    .map(
      (i) =>
        `<item><title>${i.title}</title><link>${i.link}</link><guid isPermaLink="false">${i.guid}</guid><pubDate>${new Date(i.date).toUTCString()}</pubDate>${i.body ? `<content:encoded><![CDATA[${i.body}]]></content:encoded>` : `<description>${i.teaser ?? ''}</description>`}</item>`,
    )
    .join('')}</channel></rss>`;
}

async function startHerald(
  feedPath: string,
  extraSources: { name: string; url: string }[] = [],
): Promise<void> {
  configDir = mkdtempSync(path.join(tmpdir(), 'herald-ingest-'));
  const file = path.join(configDir, 'config.json');
  writeFileSync(
    file,
    JSON.stringify({
      sources: [
        { name: 'Fixture Wire', url: server.url(feedPath), weight: 2, featured: true },
        ...extraSources,
      ],
      ingest: { maxAgeHours: 48 },
    }),
  );
  const config = loadConfig({ STORE_URL: 'memory://', HERALD_CONFIG: file });
  // Loopback is refused in production; this test opens exactly the fixture server's address.
  const fetcher = createSafeFetcher({
    allowPrivateAddresses: (ip) => ip === '127.0.0.1',
    deadlineMs: 2000,
    idleTimeoutMs: 1000,
  });
  herald = await createHerald(config, {
    commands: allCommands,
    log: createLogger('silent'),
    transport: quietTransport(),
    now: () => clock,
    fetcher,
  });
}

beforeEach(async () => {
  clock = Date.parse('2026-03-02T12:00:00Z');
  server = await createFixtureServer();
});
afterEach(async () => {
  await herald.close();
  await server.close();
  if (configDir) rmSync(configDir, { recursive: true, force: true });
  configDir = undefined;
});

describe('ingest job', () => {
  it('stores a first ingest as backlog, then brings only new items, which are not backlog', async () => {
    server.route('/feed.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      body: rss([
        {
          guid: 'a',
          title: 'Bridge repairs begin',
          link: 'https://wire.example/a?utm_source=rss',
          date: '2026-03-02T08:00:00Z',
          body: paragraphs('bridge'),
        },
      ]),
    });
    await startHerald('/feed.xml');
    const first = await herald.services.ingest.runAll();
    expect(first.added).toHaveLength(1);
    const [stored] = await herald.services.brief.ranked({
      audience: 'operator',
      count: 10,
      includeBacklog: true,
    });
    expect(stored?.story.backlog).toBe(true);
    expect(stored?.story.url).toBe('https://wire.example/a');
    expect(stored?.story.featured).toBe(true);

    clock += HOUR;
    server.route('/feed.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      body: rss([
        {
          guid: 'a?ref=1',
          title: 'Bridge repairs begin (updated)',
          link: 'https://wire.example/a?utm_source=twitter',
          date: '2026-03-02T09:30:00Z',
          body: paragraphs('bridge'),
        },
        {
          guid: 'b',
          title: 'Harbour dredging starts',
          link: 'https://wire.example/b',
          date: '2026-03-02T12:30:00Z',
          body: paragraphs('harbour dredging'),
        },
      ]),
    });
    const second = await herald.services.ingest.runAll();
    expect(second.ran).toBe(true);
    expect(second.added.map((a) => a.title)).toEqual(['Harbour dredging starts']);
    expect(second.skipped.map((s) => s.reason)).toContain('already stored');
    const digestable = await herald.services.brief.ranked({ audience: 'operator', count: 10 });
    expect(digestable.map((r) => r.story.title)).toEqual(['Harbour dredging starts']);
    expect(
      await herald.services.brief.ranked({ audience: 'operator', count: 10, includeBacklog: true }),
    ).toHaveLength(2);
  });

  it('does not run twice at once, nor on two instances within one interval', async () => {
    server.route('/feed.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      body: rss([
        {
          guid: 'a',
          title: 'Bridge repairs begin',
          link: 'https://wire.example/a',
          date: '2026-03-02T08:00:00Z',
          body: paragraphs('bridge'),
        },
      ]),
    });
    await startHerald('/feed.xml');
    const [one, two] = await Promise.all([herald.services.ingest.runAll(), herald.services.ingest.runAll()]);
    expect(one).toBe(two);
    clock += 60_000;
    expect((await herald.services.ingest.runAll()).ran).toBe(false);
    expect(server.requests.filter((r) => r.path === '/feed.xml')).toHaveLength(1);
  });

  it('uses conditional GET and stores nothing new on a 304', async () => {
    let calls = 0;
    server.route('/feed.xml', (request, response) => {
      calls += 1;
      if (request.headers['if-none-match'] === '"v1"') {
        response.writeHead(304).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"' }).end(
        rss([
          {
            guid: 'a',
            title: 'Bridge repairs begin',
            link: 'https://wire.example/a',
            date: '2026-03-02T08:00:00Z',
            body: paragraphs('bridge'),
          },
        ]),
      );
    });
    await startHerald('/feed.xml');
    const source = (await herald.services.sources.all())[0]!;
    await herald.services.ingest.runSource(source);
    const again = await herald.services.ingest.runSource(source);
    expect(calls).toBe(2);
    expect(again.added).toHaveLength(0);
    expect(server.requests.at(-1)?.headers['if-none-match']).toBe('"v1"');
  });

  it('reports a malformed feed on that source only, keeps what was stored, and backs off until disabled', async () => {
    const good = rss([
      {
        guid: 'g',
        title: 'Library reopens',
        link: 'https://wire.example/g',
        date: '2026-03-02T08:00:00Z',
        body: paragraphs('library'),
      },
    ]);
    server.route('/good.xml', { headers: { 'content-type': 'application/rss+xml' }, body: good });
    server.route('/flaky.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      body: rss([
        {
          guid: 'x',
          title: 'Ferry timetable changes',
          link: 'https://wire.example/x',
          date: '2026-03-02T08:00:00Z',
          body: paragraphs('ferry timetable'),
        },
      ]),
    });
    await startHerald('/good.xml', [{ name: 'Flaky Times', url: server.url('/flaky.xml') }]);
    await herald.services.ingest.runAll();
    expect(await herald.services.status.snapshot().then((s) => s.stories)).toBe(2);

    // The flaky feed now serves broken XML, then an HTML page, then a billion-laughs document.
    const broken = [
      '<rss><channel><item><title>oops',
      '<!doctype html><html><body>Not a feed</body></html>',
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><rss>&lol2;</rss>',
    ];
    const source = (await herald.services.sources.all()).find((s) => s.config.name === 'Flaky Times')!;
    for (let attempt = 0; attempt < 8; attempt += 1) {
      server.route('/flaky.xml', {
        headers: { 'content-type': 'application/rss+xml' },
        body: broken[attempt % broken.length]!,
      });
      const report = await herald.services.ingest.runSource(source);
      expect(report.failed[0]?.message).toBeTruthy();
      expect(report.failed[0]?.message).not.toMatch(/at .*\.ts/);
    }
    const state = await herald.services.sources.state(source.key);
    expect(state.health.disabled?.reason).toContain('8 failures');
    expect(await herald.services.status.snapshot().then((s) => s.stories)).toBe(2);
    const listing = await herald.services.sourceAdmin.list('any-guild');
    expect(listing.find((s) => s.name === 'Flaky Times')?.status).toMatch(/^disabled: /);
  });

  it('fetches the full page of a teaser-only item and stores its clean text', async () => {
    const page = `<!doctype html><html><head><title>Tram line</title><link rel="canonical" href="https://wire.example/tram"></head><body><nav>Home | World | Sport</nav><article><h1>New tram line opens</h1>${paragraphs('tram line', 6)}<div class="share">Share this article</div></article><aside class="related">Related Posts</aside></body></html>`;
    server.route('/tram.html', { headers: { 'content-type': 'text/html; charset=utf-8' }, body: page });
    server.route('/feed.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      body: rss([
        {
          guid: 't',
          title: 'New tram line opens',
          link: server.url('/tram.html'),
          date: '2026-03-02T11:00:00Z',
          teaser: 'A short teaser.',
        },
      ]),
    });
    await startHerald('/feed.xml');
    const report = await herald.services.ingest.runAll();
    expect(report.added).toHaveLength(1);
    const detail = await herald.services.brief.detail(report.added[0]!.storyId!, 'operator');
    const text = detail!.articles[0]!.paragraphs.join('\n');
    expect(text).toContain('tram line update 6');
    expect(text).not.toContain('Share this article');
    expect(text).not.toContain('Related Posts');
  });

  it('merges a syndicated copy from a second feed into the same story, listing both sources', async () => {
    server.route('/feed.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      body: rss([
        {
          guid: 'w1',
          title: 'Port strike halts traffic',
          link: 'https://wire.example/strike',
          date: '2026-03-02T08:00:00Z',
          body: paragraphs('port strike', 6),
        },
      ]),
    });
    server.route('/other.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      body: rss([
        {
          guid: 'o1',
          title: 'Strike at the port stops all container traffic',
          link: 'https://other.example/news/strike',
          date: '2026-03-02T08:20:00Z',
          body: `<p>Copyright © 2026 Other Daily</p>${paragraphs('port strike', 5)}`,
        },
      ]),
    });
    await startHerald('/feed.xml', [{ name: 'Other Daily', url: server.url('/other.xml') }]);
    const report = await herald.services.ingest.runAll();
    expect(report.added).toHaveLength(1);
    expect(report.merged).toHaveLength(1);
    const [story] = await herald.services.brief.ranked({
      audience: 'operator',
      count: 5,
      includeBacklog: true,
    });
    expect(story?.story.sources.map((s) => s.name)).toEqual(['Fixture Wire', 'Other Daily']);
  });

  it('removes stories past retention from the store and from /ask', async () => {
    server.route('/feed.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      body: rss([
        {
          guid: 'a',
          title: 'Bridge repairs begin',
          link: 'https://wire.example/a',
          date: '2026-03-02T08:00:00Z',
          body: paragraphs('bridge'),
        },
      ]),
    });
    await startHerald('/feed.xml');
    await herald.services.ingest.runAll();
    const question = {
      question: 'What did the bridge update say about the council?',
      userId: 'u',
      guildId: undefined,
      audience: 'operator' as const,
    };
    expect((await herald.services.ask.ask(question)).found).toBe(true);
    clock += 31 * 24 * HOUR;
    await herald.services.ingest.runAll();
    expect(await herald.services.status.snapshot().then((s) => s.stories)).toBe(0);
    expect((await herald.services.ask.ask(question)).found).toBe(false);
  });

  it("adds a server's feed after reading it once, refuses a link that is not a feed, and removes it", async () => {
    server.route('/feed.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      body: rss([
        {
          guid: 'a',
          title: 'Bridge repairs begin',
          link: 'https://wire.example/a',
          date: '2026-03-02T08:00:00Z',
          body: paragraphs('bridge'),
        },
      ]),
    });
    server.route('/local.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      body: rss([
        {
          guid: 'l',
          title: 'Market hall renovated',
          link: 'https://local.example/l',
          date: '2026-03-02T09:00:00Z',
          body: paragraphs('market hall'),
        },
      ]),
    });
    server.route('/page.html', {
      headers: { 'content-type': 'text/html' },
      body: '<!doctype html><html><body><p>Just a page</p></body></html>',
    });
    await startHerald('/feed.xml');
    const admin = herald.services.sourceAdmin;

    const added = await admin.add('guild-1', { url: server.url('/local.xml'), name: 'Local Paper' });
    expect(added).toEqual({ name: 'Local Paper', stored: 1 });
    await expect(admin.add('guild-1', { url: server.url('/local.xml') })).rejects.toThrow(/already a source/);
    await expect(admin.add('guild-1', { url: server.url('/page.html'), name: 'Page' })).rejects.toThrow(
      /could not read .*Nothing was added/,
    );
    await expect(admin.add('guild-1', { url: 'javascript:alert(1)' })).rejects.toThrow(/http/);

    const listed = await admin.list('guild-1');
    expect(listed.map((s) => s.name)).toEqual(['Fixture Wire', 'Local Paper']);
    expect(listed[1]?.status).toMatch(/^ok, last read/);
    expect((await admin.list('guild-2')).map((s) => s.name)).toEqual(['Fixture Wire']);

    await expect(admin.remove('guild-1', 'Fixture Wire')).rejects.toThrow(/configuration/);
    expect(await admin.remove('guild-1', 'local paper')).toBe('Local Paper');
    expect((await admin.list('guild-1')).map((s) => s.name)).toEqual(['Fixture Wire']);
  });

  it('keeps a disabled feed that an admin turns back on while it still fails, and reads it once it is fixed', async () => {
    server.route('/feed.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      body: rss([
        {
          guid: 'a',
          title: 'Bridge repairs begin',
          link: 'https://wire.example/a',
          date: '2026-03-02T08:00:00Z',
          body: paragraphs('bridge'),
        },
      ]),
    });
    const localFeed = rss([
      {
        guid: 'l',
        title: 'Market hall renovated',
        link: 'https://local.example/l',
        date: '2026-03-02T09:00:00Z',
        body: paragraphs('market hall'),
      },
    ]);
    server.route('/local.xml', { headers: { 'content-type': 'application/rss+xml' }, body: localFeed });
    await startHerald('/feed.xml');
    const admin = herald.services.sourceAdmin;
    await admin.add('guild-1', { url: server.url('/local.xml'), name: 'Local Paper' });
    const local = (await herald.services.sources.forGuild('guild-1')).find(
      (s) => s.config.name === 'Local Paper',
    )!;

    server.route('/local.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      body: '<rss><channel><item><title>oops',
    });
    for (let attempt = 0; attempt < 8; attempt += 1) await herald.services.ingest.runSource(local);
    expect((await admin.list('guild-1')).find((s) => s.name === 'Local Paper')?.status).toMatch(
      /^disabled: /,
    );

    // Still broken: re-adding says so and the admin's feed is not dropped.
    await expect(admin.add('guild-1', { url: server.url('/local.xml') })).rejects.toThrow(
      /turned Local Paper back on, but could not read it/,
    );
    expect((await admin.list('guild-1')).map((s) => s.name)).toEqual(['Fixture Wire', 'Local Paper']);

    // Fixed: its next read (after the backoff) stores the story again.
    server.route('/local.xml', { headers: { 'content-type': 'application/rss+xml' }, body: localFeed });
    clock += 2 * HOUR;
    await herald.services.ingest.runSource(local);
    const after = (await admin.list('guild-1')).find((s) => s.name === 'Local Paper');
    expect(after?.status).toMatch(/^ok, last read/);
  });

  it("keeps a server's own feed to that server: brief, story, ask and topics elsewhere never show it", async () => {
    const wireItem = {
      guid: 'a',
      title: 'Bridge repairs begin',
      link: 'https://wire.example/a',
      date: '2026-03-02T08:00:00Z',
      body: paragraphs('bridge'),
    };
    const localItem = {
      guid: 'l',
      title: 'Market hall renovated',
      link: 'https://local.example/l',
      date: '2026-03-02T09:00:00Z',
      body: paragraphs('market hall'),
    };
    server.route('/feed.xml', { headers: { 'content-type': 'application/rss+xml' }, body: rss([wireItem]) });
    server.route('/local.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      body: rss([localItem]),
    });
    await startHerald('/feed.xml');
    await herald.services.ingest.runAll();
    await herald.services.sourceAdmin.add('guild-1', { url: server.url('/local.xml'), name: 'Local Paper' });
    const { brief, ask, subscriptions } = herald.services;
    const titlesFor = async (guildId: string | undefined) =>
      (await brief.top({ audience: readerIn(guildId), count: 10, includeBacklog: true }))
        .map((item) => item.story.title)
        .sort();

    expect(await titlesFor('guild-1')).toEqual(['Bridge repairs begin', 'Market hall renovated']);
    expect(await titlesFor('guild-2')).toEqual(['Bridge repairs begin']);
    expect(await titlesFor(undefined)).toEqual(['Bridge repairs begin']);
    const [local] = await brief.findByTitle('market hall', 5, readerIn('guild-1'));
    expect(local).toBeDefined();
    expect(await brief.findByTitle('market hall', 5, readerIn('guild-2'))).toEqual([]);
    expect(await brief.detail(local?.id ?? '', readerIn('guild-2'))).toBeUndefined();
    expect((await brief.detail(local?.id ?? '', readerIn('guild-1')))?.story.title).toBe(
      'Market hall renovated',
    );

    const question = 'What did the market hall update say about the council?';
    const askAs = (guildId: string) =>
      ask.ask({ question, userId: `u-${guildId}`, guildId, audience: readerIn(guildId) });
    expect((await askAs('guild-1')).found).toBe(true);
    const elsewhere = await askAs('guild-2');
    expect(elsewhere.citations.map((c) => c.title)).not.toContain('Market hall renovated');
    await expect(
      ask.ask({
        question,
        storyId: local?.id ?? '',
        userId: 'u',
        guildId: 'guild-2',
        audience: readerIn('guild-2'),
      }),
    ).rejects.toThrow(/do not have that story/);
    const topicCounts = async (guildId: string) =>
      (await subscriptions.topics(readerIn(guildId))).sections.reduce((sum, s) => sum + s.stories, 0);
    expect(await topicCounts('guild-1')).toBeGreaterThan(await topicCounts('guild-2'));

    // A second server adding the same feed gets its stories too; a third still does not.
    expect(
      await herald.services.sourceAdmin.add('guild-2', { url: server.url('/local.xml'), name: 'Town News' }),
    ).toEqual({ name: 'Town News', stored: 1 });
    expect(await titlesFor('guild-2')).toEqual(['Bridge repairs begin', 'Market hall renovated']);
    expect(await titlesFor('guild-3')).toEqual(['Bridge repairs begin']);

    // Once a shared source carries the story, every server sees it.
    server.route('/feed.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      body: rss([wireItem, localItem]),
    });
    clock += 2 * HOUR;
    await herald.services.ingest.runAll();
    expect(await titlesFor('guild-3')).toEqual(['Bridge repairs begin', 'Market hall renovated']);
  });
});
