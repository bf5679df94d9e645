// Two Herald processes on one bot token and one Redis store: Discord sends every interaction
// to both gateway sessions, and exactly one of them must answer it.
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
  it('answers each interaction once, whichever instance claims it', async () => {
    const shared = { env: { STORE_URL: redisUrl ?? '', ANSWER_INDEX_FILE: ':memory:' }, herald: { keyPrefix: `test-${randomUUID()}` } };
    const first = await startBot(shared);
    running.push(first);
    const second = await startBot({ ...shared, sampleNews: false, fake: first.fake });
    running.push(second);

    for (const name of ['help', 'status', 'brief']) {
      const sent = await first.fake.dispatchInteraction({ kind: 'command', name });
      await waitFor(() => first.fake.callbackFor(sent.id) !== undefined, { timeoutMs: 5000, what: `/${name} answered` });
      // Give the other instance time to answer too, if it were going to.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const callbacks = first.fake.requests.filter((r) => r.method === 'POST' && r.path.startsWith(`/interactions/${sent.id}/`));
      expect(callbacks, `/${name}`).toHaveLength(1);
      expect(callbacks[0]?.status, `/${name}`).toBeLessThan(300);
    }
  });
});
