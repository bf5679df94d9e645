// Two Herald processes, one Redis: a digest slot is delivered exactly once. Each process is
// the real command line (`npm start -- digest run-due`), posting to the local fake Discord.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  it('posts a due slot once, whichever process claims it, and never again', async () => {
    const { fake, herald } = harness;
    await herald.services.digests.setup({
      guildId: fake.guildId,
      channelId: fake.channelId,
      time: '08:00',
      timezone: 'Europe/Berlin',
      count: 3,
      userId: fake.userId,
    });
    const dueAt = new Date(
      herald.services.digests.nextDueAt((await herald.services.digests.list(fake.guildId))[0]!) + 30_000,
    ).toISOString();
    const env = {
      STORE_URL: storeUrl,
      ANSWER_INDEX_FILE: ':memory:',
      DISCORD_TOKEN: fake.token,
      DISCORD_API_URL: fake.restUrl,
      LOG_LEVEL: 'warn',
    };
    const runs = await Promise.all([
      runHerald(['digest', 'run-due', '--at', dueAt, '--json'], { env }),
      runHerald(['digest', 'run-due', '--at', dueAt, '--json'], { env }),
    ]);
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const deliveries = runs.flatMap(
      (run) => (JSON.parse(run.stdout) as { deliveries: { slot: string; stories: unknown[] }[] }).deliveries,
    );
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]?.stories.length).toBeGreaterThan(0);
    const posts = fake.requests.filter(
      (r) => r.method === 'POST' && r.path === `/channels/${fake.channelId}/messages`,
    );
    expect(fake.messagesIn(fake.channelId).length).toBe(posts.length);
    expect(posts.length).toBeGreaterThan(0);

    const again = await runHerald(['digest', 'run-due', '--at', dueAt, '--json'], { env });
    expect(JSON.parse(again.stdout)).toEqual({ deliveries: [] });
    expect(
      fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${fake.channelId}/messages`),
    ).toHaveLength(posts.length);
  }, 60_000);
});
