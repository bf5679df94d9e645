// kill -9 in the middle of a real ingest, then run it again: every article ends up in a
// story, on SQLite and on Redis. The kill comes when the process's own log says batches are
// committed and more are coming, never after a fixed sleep.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { createStoreBackend } from '../../src/store/backend.ts';
import { articleCodec } from '../../src/news/schemas.ts';
import { buildStoryStore } from '../../src/app/story-store.ts';
import { repoRoot, runHerald } from '../support/run-herald.ts';
import { writeSyntheticNews } from '../support/synthetic-news.ts';

const ARTICLES = 2001;
const tempDir = mkdtempSync(path.join(tmpdir(), 'herald-crash-'));
const newsDir = path.join(tempDir, 'news');
writeSyntheticNews(newsDir, ARTICLES);
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

/** Starts `ingest` and SIGKILLs it once its log shows `batches` committed batches. */
function ingestAndKill(env: Record<string, string>, batches: number): Promise<{ killedMidway: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--disable-warning=ExperimentalWarning', path.join(repoRoot, 'src/main.ts'), 'ingest', newsDir],
      {
        cwd: repoRoot,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          LOG_LEVEL: 'debug',
          PANEL: 'off',
          ...env,
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let seen = 0;
    let pending = '';
    let killed = false;
    child.stderr.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.includes('"ingest batch committed"')) seen += 1;
      if (seen >= batches && !killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => resolve({ killedMidway: signal === 'SIGKILL' }));
  });
}

/** Articles, stories, and articles whose story does not list them. */
async function census(
  url: string,
  keyPrefix: string,
): Promise<{ articles: number; stories: number; orphans: number }> {
  const backend = await createStoreBackend({ url, keyPrefix });
  try {
    const repository = buildStoryStore(backend).repository;
    const stories = await repository.listStories();
    const holder = new Map<string, string>();
    for (const story of stories) for (const id of story.articleIds) holder.set(id, story.id);
    let articles = 0;
    let orphans = 0;
    for await (const [id, article] of backend.records('articles', articleCodec).entries()) {
      articles += 1;
      if (holder.get(id) !== article.storyId) orphans += 1;
    }
    return { articles, stories: stories.length, orphans };
  } finally {
    await backend.close();
  }
}

async function dropKeys(url: string, keyPrefix: string): Promise<void> {
  const backend = await createStoreBackend({ url, keyPrefix });
  try {
    const client = backend.redis?.client;
    if (!client) return;
    const keys: string[] = [];
    for await (const page of client.scanIterator({ MATCH: `${keyPrefix}*`, COUNT: 1000 })) keys.push(...page);
    for (let i = 0; i < keys.length; i += 500) await client.del(keys.slice(i, i + 500));
  } finally {
    await backend.close();
  }
}

/** Entries in the SQLite file's dedup index (every synthetic article has one). */
function dedupEntries(url: string): number {
  const db = new DatabaseSync(url.slice('sqlite://'.length), { readOnly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM dedup_entries').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

const cases: { name: string; url: () => string }[] = [
  { name: 'sqlite', url: () => `sqlite://${path.join(tempDir, `${randomUUID()}.sqlite`)}` },
];
const redisUrl = process.env.REDIS_URL;
if (redisUrl) cases.push({ name: 'redis', url: () => redisUrl });

describe.each(cases)('kill -9 during an ingest of $name', ({ name, url }) => {
  it(`ends with all ${ARTICLES} articles in stories after a rerun`, { timeout: 240_000 }, async () => {
    const storeUrl = url();
    const keyPrefix = `test-crash-${randomUUID()}`;
    const env = { STORE_URL: storeUrl, STORE_KEY_PREFIX: keyPrefix, ANSWER_INDEX_FILE: ':memory:' };

    const { killedMidway } = await ingestAndKill(env, 3);
    expect(killedMidway).toBe(true);
    const after = await census(storeUrl, keyPrefix);
    // Mid-way: some batches are in, not all.
    expect(after.articles).toBeGreaterThan(0);
    expect(after.articles).toBeLessThan(ARTICLES);
    // A transaction per batch: nothing half-written. (Redis may hold a journal the rerun finishes.)
    if (name === 'sqlite') {
      expect(after).toMatchObject({ stories: after.articles, orphans: 0 });
      // The dedup index's rows commit with the articles: one entry per stored article, no more.
      expect(dedupEntries(storeUrl)).toBe(after.articles);
    }

    const rerun = await runHerald(['ingest', newsDir, '--json'], { env, timeoutMs: 200_000 });
    expect(rerun.code, rerun.stderr).toBe(0);
    const report = JSON.parse(rerun.stdout) as { added: unknown[]; skipped: unknown[] };
    expect(report.added.length + report.skipped.length).toBe(ARTICLES);
    expect(await census(storeUrl, keyPrefix)).toEqual({ articles: ARTICLES, stories: ARTICLES, orphans: 0 });
    if (name === 'redis') await dropKeys(storeUrl, keyPrefix);
  });
});
