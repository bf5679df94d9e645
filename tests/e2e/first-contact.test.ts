// A newcomer's first minutes in the terminal chat (npm start, no Discord token), run as the
// real process over a SQLite store that outlives each run.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { repoRoot, runHerald } from '../support/run-herald.ts';

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
  config.ingest.sampleNewsDir = path.join(repoRoot, config.ingest.sampleNewsDir);
  config.topics.taxonomyPath = path.join(repoRoot, config.topics.taxonomyPath);
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
