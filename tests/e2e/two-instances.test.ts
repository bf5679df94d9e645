// Two Herald processes on one bot token and one Redis store: Discord sends every interaction
// to both gateway sessions, and exactly one of them must answer it.
import { randomUUID } from 'node:crypto';
import pino from 'pino';
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
    // Both instances log into one list; the one that does not claim an interaction says so.
    const declined: { interactionId?: string }[] = [];
    const log = pino(
      { level: 'debug' },
      {
        write(line: string) {
          const entry = JSON.parse(line) as { msg?: string; interactionId?: string };
          if (entry.msg === 'interaction left to another instance') declined.push(entry);
        },
      },
    );
    const shared = {
      env: { STORE_URL: redisUrl ?? '', ANSWER_INDEX_FILE: ':memory:' },
      herald: { keyPrefix: `test-${randomUUID()}` },
      log,
    };
    const first = await startBot(shared);
    running.push(first);
    const second = await startBot({ ...shared, sampleNews: false, fake: first.fake });
    running.push(second);

    for (const name of ['help', 'status', 'brief']) {
      const sent = await first.fake.dispatchInteraction({ kind: 'command', name });
      await waitFor(() => first.fake.callbackFor(sent.id) !== undefined, { what: `/${name} answered` });
      // The other instance has decided once it logs that it left the interaction alone.
      await waitFor(() => declined.some((line) => line.interactionId === sent.id), {
        what: `/${name} left alone by the other instance`,
      });
      const callbacks = first.fake.requests.filter(
        (r) => r.method === 'POST' && r.path.startsWith(`/interactions/${sent.id}/`),
      );
      expect(callbacks, `/${name}`).toHaveLength(1);
      expect(callbacks[0]?.status, `/${name}`).toBeLessThan(300);
    }
  });
});
