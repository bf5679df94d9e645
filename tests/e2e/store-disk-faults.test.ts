// The store's own faults, on the real process: a disk that fills up during an ingest, and a
// store on a read-only mount. Mounts need root; without it the test falls back to a file size
// limit (ulimit -f) and to read-only file modes.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runHerald } from '../support/run-herald.ts';

const WORDS = (
  'market council river energy vote harbour minister school rail storm budget court tram bridge ' +
  'festival museum library hospital farm port airport union strike tariff election mayor'
).split(' ');

/** A small seeded generator, so every article differs and every run writes the same ones. */
function randomWords(seed: number): (count: number) => string {
  let state = seed + 0x9e3779b9;
  const next = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state;
  };
  return (count) => Array.from({ length: count }, () => WORDS[next() % WORDS.length]).join(' ');
}

/** Article text files (title line, blank line, body) with enough words to fill a small disk. */
function writeArticles(dir: string, from: number, count: number): void {
  mkdirSync(dir, { recursive: true });
  for (let i = from; i < from + count; i += 1) {
    const words = randomWords(i);
    const body = Array.from({ length: 6 }, () => `${words(120)}.`).join('\n\n');
    writeFileSync(path.join(dir, `story-${i}.txt`), `Report ${i}: ${words(6)}\n\n${body}\n`);
  }
}

function tryRun(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

/** A temp directory removed after the test, once whatever is mounted in it is unmounted. */
function workspace(): { dir: string; mounted: string[] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'herald-disk-'));
  const mounted: string[] = [];
  onTestFinished(() => {
    for (const point of mounted.reverse()) tryRun('umount', [point]);
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, mounted };
}

describe('a disk that fills up during an ingest', () => {
  it("keeps SQLite's own error, marks the store not writable, and brief still answers", async () => {
    const { dir, mounted } = workspace();
    const disk = path.join(dir, 'disk');
    mkdirSync(disk);
    const small = tryRun('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', disk]);
    if (small) mounted.push(disk);
    const limit = small ? {} : { fileSizeLimitKb: 512 };
    const env = { STORE_URL: `sqlite://${path.join(disk, 'herald.sqlite')}` };
    writeArticles(path.join(dir, 'first'), 0, 5);
    writeArticles(path.join(dir, 'more'), 5, 300);

    const first = await runHerald(['ingest', path.join(dir, 'first')], { env, ...limit });
    expect(first.stdout).toContain('5 added');

    const full = await runHerald(['ingest', path.join(dir, 'more')], { env, ...limit });
    expect(full.code).toBe(1);
    expect(full.stdout).toMatch(/database or disk is full|disk I\/O error/);
    expect(full.stdout + full.stderr).not.toContain('no transaction is active');
    expect(full.stderr).toContain('herald: ⚠️ Herald cannot save new items right now');

    const brief = await runHerald(['brief', '--count', '3'], { env, ...limit });
    expect(brief.code).toBe(0);
    expect(brief.stdout).toContain('Report ');
  });
});

describe('a store on a read-only mount', () => {
  it('opens read-only, answers brief and story from what is stored, and says "read-only"', async () => {
    const { dir, mounted } = workspace();
    const data = path.join(dir, 'data');
    writeArticles(path.join(dir, 'news'), 0, 3);
    const written = await runHerald(['ingest', path.join(dir, 'news'), '--json'], {
      env: { STORE_URL: `sqlite://${path.join(data, 'herald.sqlite')}` },
    });
    expect(written.code).toBe(0);
    const storyId = (JSON.parse(written.stdout) as { added: { storyId: string }[] }).added[0]?.storyId;

    const readOnly = path.join(dir, 'read-only');
    mkdirSync(readOnly);
    let storeDir = readOnly;
    if (tryRun('mount', ['--bind', '-o', 'ro', data, readOnly])) mounted.push(readOnly);
    else {
      // Without mounts: a read-only file in a read-only directory (given back for the cleanup).
      storeDir = data;
      chmodSync(path.join(data, 'herald.sqlite'), 0o444);
      chmodSync(data, 0o555);
      onTestFinished(() => chmodSync(data, 0o755));
    }
    const env = { STORE_URL: `sqlite://${path.join(storeDir, 'herald.sqlite')}` };

    const brief = await runHerald(['brief', '--count', '3'], { env });
    expect(brief.code).toBe(0);
    expect(brief.stdout).toContain('Report ');
    expect(brief.stderr).toContain('herald: ⚠️ Herald cannot save new items: its store is read-only.');
    expect(brief.stderr).not.toContain('unable to open database file');

    const story = await runHerald(['story', storyId ?? 'missing'], { env });
    expect(story.code).toBe(0);
    expect(story.stdout).toContain('Report ');
    expect(story.stderr).toContain('read-only');
  });
});

describe('a read-only store file', () => {
  it('opens read-only whoever runs Herald (root too): brief answers, says "read-only", the file is untouched', async () => {
    const { dir } = workspace();
    const file = path.join(dir, 'data', 'herald.sqlite');
    const env = { STORE_URL: `sqlite://${file}` };
    writeArticles(path.join(dir, 'news'), 0, 3);
    writeArticles(path.join(dir, 'more'), 3, 2);
    const written = await runHerald(['ingest', path.join(dir, 'news')], { env });
    expect(written.code).toBe(0);
    // Its owner made it read-only; the folder stays writable. Root may write it all the same,
    // so only the file's mode can tell Herald to leave it alone.
    chmodSync(file, 0o444);
    const before = readFileSync(file);

    const brief = await runHerald(['brief', '--count', '3'], { env });
    expect(brief.code).toBe(0);
    expect(brief.stdout).toContain('Report ');
    expect(brief.stderr).toContain('herald: ⚠️ Herald cannot save new items: its store is read-only.');

    const ingest = await runHerald(['ingest', path.join(dir, 'more')], { env });
    expect(ingest.code).toBe(1);
    expect(ingest.stdout + ingest.stderr).toContain('read-only');
    expect(readFileSync(file).equals(before)).toBe(true);
  }, 120_000);
});
