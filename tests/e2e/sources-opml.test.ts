// OPML through Discord as an admin uses it: /sources import with an attached file (served by a
// local stand-in for Discord's CDN, fetched through Herald's safe fetcher), and /sources export
// replying with an .opml file. Also the command line's `sources export`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSafeFetcher } from '../../src/news/safe-fetch.ts';
import { parseOpml } from '../../src/news/opml.ts';
import type { RecordedRequest } from '../support/fake-discord.ts';
import { attachmentOption } from '../support/fake-discord/attachments.ts';
import { createFixtureServer, type FixtureServer } from '../support/fixture-server.ts';
import { startBot, type BotHarness } from '../support/herald-harness.ts';
import { runHerald } from '../support/run-herald.ts';
import { monitorRssExport } from '../support/monitorss-export.ts';
import { waitFor } from '../support/wait.ts';

let harness: BotHarness | undefined;
let web: FixtureServer | undefined;
afterEach(async () => {
  await harness?.close();
  await web?.close();
  harness = undefined;
  web = undefined;
});

/** A member who may talk but not manage the server. */
const SEND_MESSAGES = 1n << 11n;

function rss(title: string, items: string[]): string {
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>${title}</title>${items
    .map(
      (t, i) =>
        `<item><title>${t}</title><link>https://${title.toLowerCase().replace(/\W+/g, '')}.example/${i}</link><guid>${title}-${i}</guid><description>${t}: ${'the council met the engineers and residents again to talk about the schedule. '.repeat(3)}</description></item>`,
    )
    .join('')}</channel></rss>`;
}

async function startWithWeb(): Promise<{ harness: BotHarness; web: FixtureServer }> {
  web = await createFixtureServer();
  web.route('/harbour.xml', {
    headers: { 'content-type': 'application/rss+xml' },
    body: rss('Harbour Times', ['Dredging starts', 'Ferry fares rise']),
  });
  web.route('/valley.xml', {
    headers: { 'content-type': 'application/rss+xml' },
    body: rss('Valley Post', ['Orchard harvest early']),
  });
  web.route('/home.html', {
    headers: { 'content-type': 'text/html' },
    body: '<!DOCTYPE html><html><head><title>Home</title></head><body>Hi</body></html>',
  });
  // Loopback is refused in production; this test opens exactly the fixture server's address.
  const fetcher = createSafeFetcher({ allowPrivateAddresses: (ip) => ip === '127.0.0.1' });
  harness = await startBot({ sampleNews: false, herald: { fetcher } });
  return { harness, web };
}

/** Serves `opml` as an attachment on the stand-in CDN and sends /sources import with it. */
async function importFile(
  opml: string | Buffer,
  options: { size?: number; memberPermissions?: bigint; contentType?: string; filename?: string } = {},
) {
  const { fake } = harness!;
  const filename = options.filename ?? 'feeds.opml';
  const file = `/attachments/${Math.random().toString(36).slice(2)}/${filename}`;
  web!.route(file, {
    headers: { 'content-type': options.contentType ?? 'text/x-opml; charset=utf-8' },
    body: opml,
  });
  const { option, resolved } = attachmentOption({
    option: 'file',
    filename,
    url: web!.url(file),
    size: options.size ?? Buffer.byteLength(opml),
  });
  const sent = await fake.dispatchInteraction({
    kind: 'command',
    name: 'sources',
    options: [{ name: 'import', type: 1, options: [option] }],
    resolved,
    ...(options.memberPermissions !== undefined ? { memberPermissions: options.memberPermissions } : {}),
  });
  return { sent, downloads: () => web!.requests.filter((r) => r.path === file).length };
}

/** The reply's final body (the edit of the deferred reply, or the error follow-up). */
async function replyTo(sent: { id: string; token: string }): Promise<RecordedRequest> {
  const { fake } = harness!;
  return fake.waitForRequest(
    (r) =>
      (r.method === 'PATCH' || r.method === 'POST') &&
      r.path.includes(`/webhooks/${fake.applicationId}/${sent.token}`),
  );
}

function opmlOf(outlines: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><opml version="2.0"><head><title>My reader</title></head><body>${outlines}</body></opml>`;
}

describe('/sources import and export (OPML)', () => {
  it('adds every feed the attached file lists and says, feed by feed, what was added or refused and why', async () => {
    const { web } = await startWithWeb();
    const opml = opmlOf(`
      <outline text="News">
        <outline type="rss" text="Harbour Times" xmlUrl="${web.url('/harbour.xml')}"/>
        <outline type="rss" title="Valley Post &amp; Friends" xmlUrl="${web.url('/valley.xml')}"/>
      </outline>
      <outline type="rss" text="Missing" xmlUrl="${web.url('/gone.xml')}"/>
      <outline type="rss" text="Not a feed" xmlUrl="${web.url('/home.html')}"/>
      <outline type="rss" text="Harbour again" xmlUrl="${web.url('/harbour.xml')}"/>
      <outline type="rss" text="Local file" xmlUrl="file:///etc/passwd"/>`);
    const { sent } = await importFile(opml);
    const reply = await replyTo(sent);
    const body = reply.body as { content: string; allowed_mentions: unknown };
    expect(body.allowed_mentions).toEqual({ parse: [] });
    const lines = body.content.split('\n');
    expect(lines[0]).toBe('Imported 2 of 6 feeds.');
    expect(lines[1]).toMatch(/^✅ \*\*Harbour Times\*\*: added, 2 stories stored$/);
    expect(lines[2]).toMatch(/^✅ \*\*Valley Post & Friends\*\*: added, 1 story stored$/);
    expect(lines[3]).toMatch(/^✗ \*\*Missing\*\* <.*\/gone\.xml>: I could not read .*404/);
    expect(lines[4]).toMatch(/^✗ \*\*Not a feed\*\* <.*\/home\.html>: I could not read .*HTML page/);
    expect(lines[5]).toMatch(/^✗ \*\*Harbour again\*\* <.*\/harbour\.xml>: .*already a source here/);
    expect(lines[6]).toMatch(/^✗ \*\*Local file\*\* file:\/\/\/etc\/passwd: That is not an http\(s\) link\./);
    const listing = await harness!.herald.services.sourceAdmin.list(harness!.fake.guildId);
    expect(listing.filter((s) => !s.shared).map((s) => s.name)).toEqual([
      'Harbour Times',
      'Valley Post & Friends',
    ]);
  });

  it('refuses a file with a DOCTYPE or entities without expanding them, and adds nothing', async () => {
    const { web } = await startWithWeb();
    const laughs = `<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><opml version="2.0"><body><outline text="&lol2;" xmlUrl="${web.url('/harbour.xml')}"/></body></opml>`;
    const { sent } = await importFile(laughs);
    const body = (await replyTo(sent)).body as { content: string };
    expect(body.content).toContain('refuse');
    expect(body.content).not.toContain('lollol');
    expect(web.requests.some((r) => r.path === '/harbour.xml')).toBe(false);
    expect(
      (await harness!.herald.services.sourceAdmin.list(harness!.fake.guildId)).filter((s) => !s.shared),
    ).toEqual([]);
  });

  it('imports an .opml file the CDN labels application/octet-stream, and refuses a binary file by name', async () => {
    const { web } = await startWithWeb();
    const { sent } = await importFile(
      opmlOf(`<outline text="Harbour" xmlUrl="${web.url('/harbour.xml')}"/>`),
      { contentType: 'application/octet-stream' },
    );
    expect(((await replyTo(sent)).body as { content: string }).content.split('\n')[0]).toBe(
      'Imported 1 of 1 feed.',
    );

    const png = Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
    ]);
    const second = await importFile(png, { contentType: 'application/octet-stream' });
    const refusal = ((await replyTo(second.sent)).body as { content: string }).content;
    expect(refusal).toMatch(/feeds\.opml is not a text file/);
    expect(refusal).not.toMatch(/\bat .*\.ts/);
  });

  it('refuses a file larger than the cap before downloading it', async () => {
    await startWithWeb();
    const { sent, downloads } = await importFile(opmlOf(''), { size: 5 * 1024 * 1024 });
    const body = (await replyTo(sent)).body as { content: string };
    expect(body.content).toMatch(/at most 1024 KiB/);
    expect(downloads()).toBe(0);
  });

  it('checks Manage Server in the handler: a member without it adds nothing', async () => {
    const { web } = await startWithWeb();
    const { sent, downloads } = await importFile(
      opmlOf(`<outline text="Harbour" xmlUrl="${web.url('/harbour.xml')}"/>`),
      { memberPermissions: SEND_MESSAGES },
    );
    const body = (await replyTo(sent)).body as { content: string };
    expect(body.content).toMatch(/Manage Server/);
    expect(downloads()).toBe(0);
    expect(web.requests.some((r) => r.path === '/harbour.xml')).toBe(false);
  });

  it("exports the server's feeds as an attached .opml file another reader can import", async () => {
    const { web } = await startWithWeb();
    const { fake, herald } = harness!;
    await herald.services.sourceAdmin.add(fake.guildId, {
      url: web.url('/harbour.xml'),
      name: 'Harbour <Times> & "Co"',
    });
    await herald.services.sourceAdmin.add(fake.guildId, { url: web.url('/valley.xml') });
    const sent = await fake.dispatchInteraction({
      kind: 'command',
      name: 'sources',
      options: [{ name: 'export', type: 1 }],
    });
    let withFile: RecordedRequest | undefined;
    await waitFor(
      () => {
        withFile = fake.requests.find((r) => r.path.includes(sent.token) && r.files.length > 0);
        return withFile !== undefined;
      },
      { what: 'the export reply with its file' },
    );
    expect(withFile!.body).toMatchObject({ allowed_mentions: { parse: [] } });
    const [file] = withFile!.files;
    expect(file?.filename).toBe('herald-sources.opml');
    const feeds = parseOpml(file!.data.toString('utf8'));
    expect(feeds).toEqual([
      { url: web.url('/harbour.xml'), title: 'Harbour <Times> & "Co"' },
      { url: web.url('/valley.xml'), title: '127.0.0.1' },
    ]);
  });
});

describe('/sources import of a MonitoRSS export', () => {
  it('adds its sources, makes a feed for each channel given with the message translated, and lists per feed what did not map', async () => {
    const { web } = await startWithWeb();
    const { fake, herald } = harness!;
    const json = monitorRssExport(web.url('').replace(/\/$/, ''), {
      CHANNEL: fake.channelId,
      OTHER_CHANNEL: '123456789012345678',
    });
    const { sent } = await importFile(json, { filename: 'monitorss.json', contentType: 'application/json' });
    const body = (await replyTo(sent)).body as { content: string; allowed_mentions: unknown };
    expect(body.allowed_mentions).toEqual({ parse: [] });
    const [feed] = await herald.services.feeds.list(fake.guildId);
    const lines = body.content.split('\n');
    expect(lines.slice(0, 8)).toEqual([
      'Imported 2 of 4 feeds.',
      '✅ **Harbour Times**: added, 2 stories stored',
      `  ↳ channel feed \`${feed?.id}\` in <#${fake.channelId}>, posting its message as the template`,
      '  ↳ not kept: custom embeds (Herald posts its own card; the message text is the template)',
      '  ↳ not kept: setting webhook',
      '  ↳ not kept: setting checkDates',
      "  ↳ not kept: filter on author (Herald filters on a story's words only)",
      '  ↳ not kept: placeholder {{subscriptions}} (Herald has no such value; left out)',
    ]);
    expect(lines[8]).toBe('✅ **Valley Post**: added, 1 story stored');
    expect(lines[9]).toMatch(
      /^✗ \*\*Harbour Times\*\* <.*\/harbour\.xml>: already a source here \(Harbour Times\)$/,
    );
    expect(lines[10]).toMatch(
      /^ {2}↳ channel 123456789012345678: no channel feed: I cannot see that channel/,
    );
    expect(lines[11]).toMatch(/^✗ \*\*Gone\*\* <.*\/gone\.xml>: I could not read .*404/);

    expect(await herald.services.feeds.list(fake.guildId)).toMatchObject([
      {
        channelId: fake.channelId,
        source: 'Harbour Times',
        include: 'ferry, dredg',
        exclude: 'strike',
        style: 'text',
        template: '📰 **{title}**\n{summary}\n<{url}>',
      },
    ]);
    const names = (await herald.services.sourceAdmin.list(fake.guildId)).filter((s) => !s.shared);
    expect(names.map((s) => s.name)).toEqual(['Harbour Times', 'Valley Post']);
  });

  it('refuses a malformed export with a clear message and stores nothing', async () => {
    const { web } = await startWithWeb();
    const { fake, herald } = harness!;
    const broken = await importFile('{"feeds": [{"url": "x"', { filename: 'monitorss.json' });
    expect(((await replyTo(broken.sent)).body as { content: string }).content).toMatch(
      /^That file is not valid JSON \(.*\)\. Nothing was added\.$/,
    );
    const noUrl = JSON.stringify({
      feeds: [
        { title: 'Harbour', url: web.url('/harbour.xml'), channel: fake.channelId },
        { title: 'No link' },
      ],
    });
    const second = await importFile(noUrl, { filename: 'monitorss.json' });
    expect(((await replyTo(second.sent)).body as { content: string }).content).toBe(
      'That is not a MonitoRSS export: feeds[1].url is missing or not what MonitoRSS writes. Nothing was added.',
    );
    expect(web.requests.some((r) => r.path === '/harbour.xml')).toBe(false);
    expect((await herald.services.sourceAdmin.list(fake.guildId)).filter((s) => !s.shared)).toEqual([]);
    expect(await herald.services.feeds.list(fake.guildId)).toEqual([]);
  });
});

describe('npm start -- sources export', () => {
  it('prints every feed source as OPML, and with --json the OPML and the list', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'herald-opml-'));
    try {
      const config = path.join(dir, 'config.json');
      writeFileSync(
        config,
        JSON.stringify({
          sources: [
            { name: 'Wire & Co', url: 'https://wire.example/feed.xml' },
            { name: 'Folder', path: dir },
          ],
        }),
      );
      const text = await runHerald(['sources', 'export'], { env: { HERALD_CONFIG: config } });
      expect(text.code, text.stderr).toBe(0);
      expect(parseOpml(text.stdout)).toEqual([{ url: 'https://wire.example/feed.xml', title: 'Wire & Co' }]);
      const json = await runHerald(['sources', 'export', '--json'], { env: { HERALD_CONFIG: config } });
      const parsed = JSON.parse(json.stdout) as { opml: string; sources: unknown[]; leftOut: number };
      expect(parsed.sources).toEqual([{ name: 'Wire & Co', url: 'https://wire.example/feed.xml' }]);
      expect(parsed.leftOut).toBe(1);
      expect(parseOpml(parsed.opml)).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
