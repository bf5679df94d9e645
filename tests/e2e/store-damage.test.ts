// Store damage on the real process: a story record that is not JSON and a change log that
// cannot be read are each named (by key, by table) and the command exits 1, never an internal
// error or a warning with exit 0; store doctor sets the change log aside and brief answers again.
// Each test runs several processes one after another: the timeouts are hang guards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { DatabaseSync } from 'node:sqlite';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { repoRoot, runHerald } from '../support/run-herald.ts';

async function ingestedStore(): Promise<{ env: Record<string, string>; file: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'herald-damage-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'herald.sqlite');
  const env = { STORE_URL: `sqlite://${file}` };
  const ingested = await runHerald(['ingest', path.join(repoRoot, 'config/sample-news')], { env });
  expect(ingested.code, ingested.stderr).toBe(0);
  return { env, file };
}

function edit(file: string, sql: string): void {
  const db = new DatabaseSync(file);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}

describe('store damage on the command line', () => {
  it('names a story record that is not JSON by its key and exits 1', async () => {
    const { env, file } = await ingestedStore();
    // The story index over the records is JSON-aware: a hand edit that breaks JSON drops it first.
    const db = new DatabaseSync(file);
    const { key } = db.prepare("SELECT key FROM keyv WHERE key LIKE 'herald-stories:%' LIMIT 1").get() as {
      key: string;
    };
    db.exec('DROP INDEX IF EXISTS keyv_herald_stories_updatedAt');
    db.prepare("UPDATE keyv SET value = '{not json' WHERE key = ?").run(key);
    db.close();

    const brief = await runHerald(['brief'], { env });
    expect(brief.code).toBe(1);
    expect(brief.stderr).toContain(
      `herald: store damage: ${key.replace('herald-', '').replace(':', '/')}: stored value is not JSON`,
    );
    expect(brief.stderr).not.toContain('internal error');
  }, 120_000);

  it('names a change log that cannot be read by its table and exits 1; store doctor --move repairs it', async () => {
    const { env, file } = await ingestedStore();
    edit(
      file,
      'DROP TABLE herald_story_changes; CREATE TABLE herald_story_changes (id INTEGER PRIMARY KEY, what TEXT)',
    );

    for (const args of [['brief'], ['ask', 'what happened at the port?']]) {
      const run = await runHerald(args, { env });
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stderr).toContain(
        'herald: store damage: table herald_story_changes (the story change log) cannot be read: no such column: seq.',
      );
    }
    const chat = await runHerald([], { env, stdin: '/brief\n' });
    expect(chat.code).toBe(1);
    expect(chat.stderr).toContain('store damage: table herald_story_changes');

    const listed = await runHerald(['store', 'doctor', '--json'], { env });
    expect(listed.code).toBe(1);
    expect(JSON.parse(listed.stdout)).toMatchObject({
      damaged: [],
      changeLog: { table: 'herald_story_changes', problem: 'no such column: seq', movedTo: null },
    });
    const moved = await runHerald(['store', 'doctor', '--move'], { env });
    expect(moved.code).toBe(0);
    expect(moved.stdout).toMatch(
      /moved to the table herald_damaged_story_changes_\d{14}, kept for inspection/,
    );

    const brief = await runHerald(['brief', '--count', '2'], { env });
    expect(brief.code, brief.stderr).toBe(0);
    expect(brief.stdout).toContain('1. ');
  }, 240_000);
});
