// Two Herald processes, one Redis: a digest slot is delivered exactly once. Each process is
// the real command line (`npm start -- digest run-due`), posting to the local fake Discord.
// Only the clock says what is due: the digest is one set up days ago for a time just past, so
// the processes deliver on their real clocks, and `run-due --at` only ever shows a plan.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestConfigSchema, type DigestConfig } from '../../src/digest/digest-types.ts';
import { leaseRedisDatabase, type RedisDatabaseLease } from '../support/redis-database.ts';
import { runHerald } from '../support/run-herald.ts';
import { startBot, type BotHarness } from '../support/herald-harness.ts';

const redisUrl = process.env.REDIS_URL;

describe.runIf(redisUrl)('digests with two instances on Redis', () => {
  let harness: BotHarness;
  // A database of its own, so the processes can use Herald's default key prefix.
  let database: RedisDatabaseLease;
  let storeUrl: string;
  beforeAll(async () => {
    database = await leaseRedisDatabase(redisUrl as string);
    storeUrl = database.url;
    harness = await startBot({
      env: { STORE_URL: storeUrl, ANSWER_INDEX_FILE: ':memory:' },
      herald: { keyPrefix: 'herald' },
    });
  });
  afterAll(async () => {
    await harness?.close();
    await database?.release();
  });

  it('posts a due slot once, whichever process claims it, and never again; a dry run posts nothing', async () => {
    const { fake, herald } = harness;
    const justPast = new Date(Date.now() - 10 * 60_000);
    const time = justPast.toISOString().slice(11, 16);
    const { digest } = await herald.services.digests.setup({
      guildId: fake.guildId,
      channelId: fake.channelId,
      time,
      timezone: 'UTC',
      count: 3,
      userId: fake.userId,
    });
    // Set up two days ago: today's slot (or, just after midnight, yesterday's) is due and within grace.
    const digests = herald.backend.records<DigestConfig>('digests', {
      version: 1,
      schema: digestConfigSchema,
    });
    await digests.set(digest.id, {
      ...digest,
      createdAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
    });
    const env = {
      STORE_URL: storeUrl,
      ANSWER_INDEX_FILE: ':memory:',
      DISCORD_TOKEN: fake.token,
      DISCORD_API_URL: fake.restUrl,
      LOG_LEVEL: 'warn',
    };
    const postsNow = () =>
      fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${fake.channelId}/messages`);

    // A look at tomorrow posts nothing and records nothing (on an older build it posted and
    // marked today's slot missed).
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    const dryRun = await runHerald(['digest', 'run-due', '--at', tomorrow, '--json'], { env });
    expect(dryRun.code, dryRun.stderr).toBe(0);
    const planned = (JSON.parse(dryRun.stdout) as { planned: { outcome: string }[] }).planned;
    expect(planned.map((entry) => entry.outcome)).toContain('would-send');
    expect(postsNow()).toHaveLength(0);

    const runs = await Promise.all([
      runHerald(['digest', 'run-due', '--json'], { env }),
      runHerald(['digest', 'run-due', '--json'], { env }),
    ]);
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const deliveries = runs.flatMap(
      (run) => (JSON.parse(run.stdout) as { deliveries: { slot: string; stories: unknown[] }[] }).deliveries,
    );
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]?.stories.length).toBeGreaterThan(0);
    const posts = postsNow();
    expect(fake.messagesIn(fake.channelId).length).toBe(posts.length);
    expect(posts.length).toBeGreaterThan(0);

    const again = await runHerald(['digest', 'run-due', '--json'], { env });
    expect(JSON.parse(again.stdout)).toEqual({ deliveries: [] });
    expect(postsNow()).toHaveLength(posts.length);
  }, 60_000);
});
