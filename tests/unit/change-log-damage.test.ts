// A change log that cannot be read as Herald writes it is store damage, named by its table (or
// Redis key), never a warning read past; store doctor sets it aside and a new log makes every
// reader rebuild from the stories instead of reading on from a cursor that means nothing there.
import { createClient, type RedisClientType } from '@keyv/redis';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  checkSqliteChangeLog,
  createRedisChangeLog,
  createSqliteChangeLog,
  restartSqliteChangeLog,
} from '../../src/store/change-log.ts';
import { isStoreReadError } from '../../src/store/record-store.ts';
import { openSqliteDatabase, type SqliteDatabase } from '../../src/store/sqlite-database.ts';

function database(): SqliteDatabase {
  const dir = mkdtempSync(path.join(tmpdir(), 'herald-changes-'));
  const opened = openSqliteDatabase(path.join(dir, 'store.sqlite'));
  onTestFinished(() => {
    opened.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return opened;
}

async function damageOf(read: () => Promise<unknown>): Promise<string> {
  const error = await read().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isStoreReadError(error), String(error)).toBe(true);
  return (error as Error).message;
}

describe('a damaged change log', () => {
  it('of another shape is store damage naming its table, on every read', async () => {
    const db = database();
    const log = createSqliteChangeLog(db);
    await log.append(['s1']);
    db.db.exec('DROP TABLE herald_story_changes; CREATE TABLE herald_story_changes (id INTEGER, what TEXT)');
    expect(await damageOf(() => log.readSince('0', 10))).toMatch(
      /^table herald_story_changes \(the story change log\) cannot be read: no such column: seq\. npm start -- store doctor --move/,
    );
    expect(await damageOf(() => log.head())).toMatch(/^table herald_story_changes/);
    expect(() => checkSqliteChangeLog(db)).toThrow(/herald_story_changes/);
  });

  it('with a row that names no story, or a cursor that is not a number, is store damage', async () => {
    const db = database();
    const log = createSqliteChangeLog(db);
    await log.append(['s1']);
    db.db.exec(
      'DROP TABLE herald_story_changes; CREATE TABLE herald_story_changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, story_id TEXT)',
    );
    db.db.exec("INSERT INTO herald_story_changes (story_id) VALUES ('s1'), (NULL)");
    expect(await damageOf(() => log.readSince('0', 10))).toContain('row 2 has no story id');

    const other = database();
    const fine = createSqliteChangeLog(other);
    await fine.append(['s1']);
    other.db.exec("INSERT INTO herald_meta (key, value) VALUES ('changes-pruned-through', 'lots')");
    expect(await damageOf(() => fine.readSince('0', 10))).toMatch(
      /^table herald_meta .*changes-pruned-through is "lots"/,
    );
  });

  it('is set aside by the doctor; readers rebuild and then read what is appended next', async () => {
    const db = database();
    const log = createSqliteChangeLog(db);
    await log.append(['s1', 's2', 's3']);
    const page = await log.readSince(undefined, 10);
    expect(page).toEqual({ storyIds: ['s1', 's2', 's3'], cursor: '3', reset: false });
    db.db.exec('DROP TABLE herald_story_changes; CREATE TABLE herald_story_changes (id INTEGER, what TEXT)');

    const aside = restartSqliteChangeLog(db, new Date('2026-12-07T23:00:00Z'));
    expect(aside).toBe('herald_damaged_story_changes_20261207230000');
    expect(db.db.prepare(`SELECT COUNT(*) AS n FROM ${aside}`).get()).toEqual({ n: 0 });
    expect(() => checkSqliteChangeLog(db)).not.toThrow();

    const restarted = createSqliteChangeLog(db);
    await restarted.append(['s4']);
    // A reader that had read through 3 in the old log rebuilds from the stories...
    expect((await restarted.readSince('3', 10)).reset).toBe(true);
    // ...to the head, and from there reads what is appended next.
    const head = await restarted.head();
    await restarted.append(['s5']);
    expect(await restarted.readSince(head, 10)).toMatchObject({ storyIds: ['s5'], reset: false });
  });
});

const redisUrl = process.env.REDIS_URL;

describe.runIf(redisUrl)('a damaged change log on Redis', () => {
  it('is store damage naming the key when the key is not a stream or an entry has no story', async () => {
    const client = createClient({ url: redisUrl as string }) as unknown as RedisClientType;
    await client.connect();
    const key = `herald-test-changes-${process.pid}-${Date.now()}`;
    onTestFinished(async () => {
      await client.del(key);
      await client.quit();
    });
    const log = createRedisChangeLog(client, key);
    await client.set(key, 'not a stream');
    expect(await damageOf(() => log.readSince(undefined, 10))).toMatch(
      new RegExp(
        `^Redis key ${key} \\(the story change log\\) cannot be read: it holds something other than a stream`,
      ),
    );
    await client.del(key);
    await client.xAdd(key, '*', { other: 'x' });
    expect(await damageOf(() => log.readSince(undefined, 10))).toMatch(/entry .* has no story id/);
  });
});
