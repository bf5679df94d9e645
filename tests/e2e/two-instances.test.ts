// Two Herald instances on one bot token and one Redis: the gateway shard is leased, so exactly
// one instance runs it and answers each interaction once; when that instance stops, the other
// takes the shard over and answers from then on.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startBot, type BotHarness } from '../support/herald-harness.ts';
import { waitFor } from '../support/wait.ts';

const redisUrl = process.env.REDIS_URL;
const running: BotHarness[] = [];
afterEach(async () => {
  // The second instance borrows the first one's fake Discord: close it first.
  for (const harness of running.reverse()) await harness.close();
  running.length = 0;
});

describe.runIf(redisUrl)('two instances on one token and one Redis', () => {
  it('answers each interaction once through the instance holding the shard, and fails over to the other', async () => {
    const shared = {
      env: { STORE_URL: redisUrl ?? '', ANSWER_INDEX_FILE: ':memory:' },
      herald: { keyPrefix: `test-${randomUUID()}` },
      discord: { shardLeaseMs: 1500 },
    };
    const first = await startBot(shared);
    running.push(first);
    const second = await startBot({ ...shared, sampleNews: false, fake: first.fake });
    running.push(second);
    const { fake } = first;
    expect(first.bot.shards().map((shard) => shard.id)).toEqual([0]);
    expect(second.bot.shards()).toEqual([]);

    const answeredOnce = async (name: string): Promise<void> => {
      const sent = await fake.dispatchInteraction({ kind: 'command', name });
      await waitFor(() => fake.callbackFor(sent.id) !== undefined, { what: `/${name} answered` });
      const callbacks = fake.requests.filter(
        (r) => r.method === 'POST' && r.path.startsWith(`/interactions/${sent.id}/`),
      );
      expect(callbacks, `/${name}`).toHaveLength(1);
      expect(callbacks[0]?.status, `/${name}`).toBeLessThan(300);
    };
    for (const name of ['help', 'status', 'brief']) await answeredOnce(name);

    // The first instance stops cleanly (its lease freed at once); the second takes the shard.
    await first.bot.stop();
    await first.herald.close();
    await waitFor(() => second.bot.shards().some((shard) => shard.status === 'ready'), {
      what: 'the second instance running the shard',
    });
    expect(fake.gatewaySessions()).toHaveLength(1);
    await answeredOnce('help');
  });
});
