// A newcomer's first minutes in the terminal chat (npm start, no Discord token), run as the
// real process over a SQLite store that outlives each run.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { DatabaseSync } from 'node:sqlite';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { repoRoot, runHerald } from '../support/run-herald.ts';
import { createFixtureServer } from '../support/fixture-server.ts';
import { monitorRssExport } from '../support/monitorss-export.ts';

function tempStore(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'herald-first-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return `sqlite://${path.join(dir, 'herald.sqlite')}`;
}

describe('a typo in the terminal never reaches the store', () => {
  it('refuses delivery:weekly with the allowed values, and every later command and restart works', async () => {
    const env = { STORE_URL: tempStore() };
    const first = await runHerald([], {
      env,
      stdin:
        '/subscribe topic:Science delivery:weekly\n/subscribe topic:Science delivry:daily\n/subscriptions\n',
    });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('! /subscribe delivery: must be one of immediate, daily (not "weekly").');
    expect(first.stdout).toContain('! /subscribe has no option delivry:');
    expect(first.stdout).not.toContain('You now follow');
    expect(first.stdout).not.toContain('Something went wrong');

    const second = await runHerald([], {
      env,
      stdin: '/subscribe topic:Science delivery:Daily\n/subscriptions\n',
    });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('You now follow Science.');
    expect(second.stdout).not.toContain('Something went wrong');
    expect(second.stderr).not.toContain('StoreReadError');
  });
});

/** A config file like config/default.json with these sources, every path absolute. */
function writeConfig(dir: string, name: string, sources: { name: string; path: string }[]): string {
  const config = JSON.parse(readFileSync(path.join(repoRoot, 'config/default.json'), 'utf8')) as {
    sources: unknown[];
    ingest: { sampleNewsDir: string };
    topics: { taxonomyPath: string };
  };
  config.sources = sources.map((source) => ({ ...source, weight: 1, featured: false, topics: [] }));
  config.ingest.sampleNewsDir = path.join(repoRoot, 'config', config.ingest.sampleNewsDir);
  config.topics.taxonomyPath = path.join(repoRoot, 'config', config.topics.taxonomyPath);
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(config));
  return file;
}

describe('a restart reads the sources added since the last run', () => {
  it('takes over the run lease its previous process left, instead of waiting half an hour', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'herald-restart-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const store = `sqlite://${path.join(dir, 'herald.sqlite')}`;
    const sample = { name: 'Sample', path: path.join(repoRoot, 'config/sample-news') };
    const first = await runHerald([], {
      env: { STORE_URL: store, HERALD_CONFIG: writeConfig(dir, 'before.json', [sample]) },
      stdin: '/status\n',
    });
    expect(first.code).toBe(0);

    const local = path.join(dir, 'local-news');
    mkdirSync(local);
    writeFileSync(
      path.join(local, 'harbour.txt'),
      'Harbour reopens after the storm\n\nThe harbour reopened on Monday after a week of repairs to the sea wall.\n',
    );
    const after = writeConfig(dir, 'after.json', [sample, { name: 'Local Desk', path: local }]);
    const second = await runHerald([], {
      env: { STORE_URL: store, HERALD_CONFIG: after },
      stdin: '/status\n',
    });
    expect(second.code).toBe(0);

    const sources = await runHerald(['sources', '--json'], {
      env: { STORE_URL: store, HERALD_CONFIG: after },
    });
    const rows = (JSON.parse(sources.stdout) as { sources: { name: string; lastRun: unknown }[] }).sources;
    expect(rows.find((row) => row.name === 'Local Desk')?.lastRun).not.toBeNull();
  });
});

describe('the terminal and the command line speak plainly', () => {
  it('asks as often as the local user likes, renders Markdown, and /help shows usable options', async () => {
    const asks = Array.from({ length: 7 }, (_, i) => `/ask question:what happened number ${i}\n`).join('');
    const run = await runHerald([], { stdin: `${asks}/subscribe topic:Science\n/help\n` });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('asking faster');
    expect(run.stdout).toContain('You now follow Science.');
    expect(run.stdout).not.toContain('**');
    expect(run.stdout).toContain('/unsubscribe topic:…:');
    expect(run.stdout).not.toContain('::');
  });

  it('prints usage for --help without opening a store, and refuses a flag a subcommand does not take', async () => {
    const help = await runHerald(['--help'], { env: { STORE_URL: 'mysql://not-a-store' } });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('npm start -- brief [--topic T] [--count N] [--json]');
    expect(help.stderr).toBe('');

    const typo = await runHerald(['brief', '--cout', '3']);
    expect(typo.code).toBe(1);
    expect(typo.stdout).toBe('');
    expect(typo.stderr).toContain('herald: brief has no flag --cout (it takes --topic, --count, --json)');
  });
});

const PARAGRAPH =
  'The regional council voted on Tuesday to reopen the northern rail line after two years of repairs, ' +
  'with the first trains due in March. Officials said the work cost less than planned and that the ' +
  'timetable would add evening services for commuters travelling between the coast and the capital.';

function rss(title: string, link: string): string {
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item><title>${title}</title><link>${link}</link><pubDate>Mon, 07 Dec 2026 08:00:00 GMT</pubDate><description>${PARAGRAPH} ${title}.</description></item></channel></rss>`;
}

function atom(title: string, link: string): string {
  return `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Desk</title><entry><title>${title}</title><link href="${link}"/><id>${link}</id><updated>2026-12-07T09:00:00Z</updated><summary>Bridge works begin. The harbour bridge closes for six weeks from Monday while engineers replace its deck; ferries add crossings and buses take a longer route through the old town. ${title}.</summary></entry></feed>`;
}

describe('herald ingest <folder>', () => {
  it('reads every extension a single file ingest reads, lists what it skipped, and keeps a configured name', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'herald-folder-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const news = path.join(dir, 'news');
    mkdirSync(news);
    writeFileSync(
      path.join(news, 'wire.rss'),
      rss('Northern rail line to reopen', 'https://wire.example/rail'),
    );
    writeFileSync(path.join(news, 'desk.atom'), atom('Harbour bridge closes', 'https://desk.example/bridge'));
    writeFileSync(path.join(news, 'notes.md'), '# not news');
    const config = writeConfig(dir, 'config.json', [{ name: 'Local Desk', path: news }]);
    const env = { STORE_URL: 'memory://', HERALD_CONFIG: config };

    const run = await runHerald(['ingest', news, '--json'], { env });
    const report = JSON.parse(run.stdout) as {
      added: { title: string; source: string }[];
      skipped: { title: string; reason: string }[];
    };
    expect(report.added.map((item) => item.title).sort()).toEqual([
      'Harbour bridge closes',
      'Northern rail line to reopen',
    ]);
    expect(new Set(report.added.map((item) => item.source))).toEqual(new Set(['Local Desk']));
    expect(report.skipped).toContainEqual(
      expect.objectContaining({ title: 'notes.md', reason: expect.stringContaining('not a feed') as string }),
    );
  });
});

describe('a record damaged in the store', () => {
  it('is left out and named, and store doctor lists it and moves it aside', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'herald-doctor-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'herald.sqlite');
    const env = { STORE_URL: `sqlite://${file}` };
    const subscribed = await runHerald([], { env, stdin: '/subscribe topic:Science\n' });
    expect(subscribed.stdout).toContain('You now follow Science.');
    // A record an older or buggy build wrote: a delivery mode this one does not know, and text that is not JSON.
    const db = new DatabaseSync(file);
    const row = db
      .prepare("SELECT value FROM keyv WHERE key = 'herald-subscriptions:terminal-user'")
      .get() as {
      value: string;
    };
    db.prepare("UPDATE keyv SET value = ? WHERE key = 'herald-subscriptions:terminal-user'").run(
      row.value.replace('"mode":"immediate"', '"mode":"weekly"'),
    );
    db.prepare("INSERT INTO keyv (key, value) VALUES ('herald-subscriptions:other-user', '{not json')").run();
    db.close();

    const chat = await runHerald([], { env, stdin: '/status\n/subscriptions\n' });
    expect(chat.code).toBe(0);
    expect(chat.stdout).toContain('Cached stories');
    expect(chat.stdout).toContain('Your stored subscriptions are damaged');
    expect(chat.stdout).not.toContain('Something went wrong');

    const listed = await runHerald(['store', 'doctor', '--json'], { env });
    expect(listed.code).toBe(1);
    expect(JSON.parse(listed.stdout)).toEqual({
      damaged: [
        { namespace: 'subscriptions', key: 'terminal-user', problem: 'does not match its schema' },
        { namespace: 'subscriptions', key: 'other-user', problem: 'not JSON' },
      ],
      moved: 0,
    });
    const moved = await runHerald(['store', 'doctor', '--move'], { env });
    expect(moved.code).toBe(0);
    expect(moved.stdout).toContain('Moved 2 aside');
    const clean = await runHerald(['store', 'doctor'], { env });
    expect(clean.stdout).toBe('No damaged records.\n');
    const again = await runHerald([], { env, stdin: '/subscribe topic:Science\n' });
    expect(again.stdout).toContain('You now follow Science.');
  });
});

describe('OPML import outside Discord', () => {
  it('reads a local file from the terminal (/sources import file:PATH) and the command line, with a line per feed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'herald-opml-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'feeds.opml');
    // Loopback feeds: the safe fetcher refuses them, so each gets its own line and reason.
    writeFileSync(
      file,
      `<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body>
        <outline text="Harbour" type="rss" xmlUrl="http://127.0.0.1:9/harbour.xml"/>
        <outline text="Rail" type="rss" xmlUrl="http://127.0.0.1:9/rail.xml"/>
      </body></opml>`,
    );
    const chat = await runHerald([], { stdin: `/sources import file:${file}\n` });
    expect(chat.code).toBe(0);
    expect(chat.stdout).toContain('Imported 0 of 2 feeds.');
    expect(chat.stdout).toContain('Harbour');
    expect(chat.stdout).toContain('Rail');

    const cli = await runHerald(['sources', 'import', file, '--json']);
    expect(cli.code).toBe(1);
    const imported = (JSON.parse(cli.stdout) as { imported: { url: string; added: boolean }[] }).imported;
    expect(imported.map((line) => line.url)).toEqual([
      'http://127.0.0.1:9/harbour.xml',
      'http://127.0.0.1:9/rail.xml',
    ]);

    const missing = await runHerald(['sources', 'import', path.join(dir, 'nope.opml')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nope.opml: cannot be read');
  });
});

describe('MonitoRSS import outside Discord', () => {
  it('imports an export from the terminal and the command line, its channel feeds landing on the terminal', async () => {
    const web = await createFixtureServer();
    onTestFinished(() => web.close());
    const rss = (title: string) =>
      `<?xml version="1.0"?><rss version="2.0"><channel><title>${title}</title><item><title>${title} opens</title><link>https://${title.toLowerCase()}.example/1</link><guid>${title}-1</guid><description>${title}: the council met the engineers and residents again to talk about the ferry schedule.</description></item></channel></rss>`;
    for (const name of ['harbour', 'valley'])
      web.route(`/${name}.xml`, { headers: { 'content-type': 'application/rss+xml' }, body: rss(name) });
    const dir = mkdtempSync(path.join(tmpdir(), 'herald-monitorss-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const config = path.join(dir, 'config.json');
    // The fixture server is on loopback, which Herald reads only when the operator allows it.
    writeFileSync(config, JSON.stringify({ ingest: { fetch: { allowHosts: ['127.0.0.1'] } } }));
    const file = path.join(dir, 'monitorss.json');
    writeFileSync(
      file,
      monitorRssExport(web.url('').replace(/\/$/, ''), {
        CHANNEL: '200000000000000001',
        OTHER_CHANNEL: '200000000000000002',
      }),
    );
    const env = { HERALD_CONFIG: config };
    const chat = await runHerald([], { env, stdin: `/sources import file:${file}\n/feed list\n` });
    expect(chat.code, chat.stderr).toBe(0);
    expect(chat.stdout).toContain('Imported 2 of 4 feeds.');
    expect(chat.stdout).toMatch(
      /↳ channel feed `f-[a-z0-9]+` in #terminal, posting its message as the template/,
    );
    expect(chat.stdout).toContain('not kept: filter on author');

    const cli = await runHerald(['sources', 'import', file, '--json'], { env });
    expect(cli.code, cli.stderr).toBe(0);
    const imported = (
      JSON.parse(cli.stdout) as {
        imported: {
          added: boolean;
          channelFeed?: { channelId: string; feedId?: string };
          notKept?: string[];
        }[];
      }
    ).imported;
    expect(imported.map((line) => line.added)).toEqual([true, true, false, false]);
    expect(imported[0]?.channelFeed).toMatchObject({
      channelId: 'terminal',
      feedId: expect.stringMatching(/^f-/),
    });
    expect(imported[2]?.channelFeed).toMatchObject({
      channelId: 'terminal',
      feedId: expect.stringMatching(/^f-/),
    });
    expect(imported[0]?.notKept).toContain('setting webhook');

    const malformed = path.join(dir, 'broken.json');
    writeFileSync(malformed, '[{"title": "no link"}]');
    const refused = await runHerald(['sources', 'import', malformed], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('That is not a MonitoRSS export: feeds[0].url is missing');
  });
});

describe('a taxonomy file that cannot be read', () => {
  it('stops the start with one configuration line naming the file, not the store', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'herald-taxonomy-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ topics: { taxonomyPath: 'nope.json' } }));
    const run = await runHerald(['status'], { env: { HERALD_CONFIG: file } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `herald: configuration: topics.taxonomyPath: the taxonomy file ${path.join(dir, 'nope.json')} cannot be read`,
    );
    expect(run.stderr).not.toContain('cannot open the store');
  });
});
