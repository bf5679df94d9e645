// The bot on a store whose disk is full: /brief still answers from what is stored, through the
// real dispatcher and the fake Discord, and a private follow-up says new items cannot be saved.
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../support/fake-discord.ts';
import { createFaultyStore } from '../support/faulty-store.ts';
import { startBot, type BotHarness } from '../support/herald-harness.ts';
import { waitFor } from '../support/wait.ts';

let harness: BotHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

type Body = {
  type?: number;
  data?: Record<string, unknown>;
  content?: string;
  embeds?: unknown[];
  flags?: number;
  allowed_mentions?: unknown;
};

describe('the bot on a full disk', () => {
  it('answers /brief from what is stored and says privately that new items cannot be saved', async () => {
    const faults = createFaultyStore();
    harness = await startBot({ herald: { wrapStore: (backend) => faults.wrap(backend) } });
    faults.refuseWrites('SQLITE_FULL');
    const fake = harness.fake;
    const sent = await fake.dispatchInteraction({
      kind: 'command',
      name: 'brief',
      options: [{ name: 'count', type: 4, value: 3 }],
    });
    let bodies: Body[] = [];
    await waitFor(
      () => {
        bodies = fake.requests
          .filter(
            (r: RecordedRequest) =>
              r.path.startsWith(`/interactions/${sent.id}/`) ||
              r.path.includes(`/webhooks/${fake.applicationId}/${sent.token}`),
          )
          .filter((r) => r.method !== 'GET' && r.method !== 'DELETE')
          .map((r) => r.body as Body);
        return bodies.length >= 3;
      },
      { what: 'the brief and the store notice' },
    );
    expect(bodies[1]?.embeds).toHaveLength(3);
    const notice = bodies[2] as Body;
    expect(notice.content).toMatch(/cannot save new items/);
    expect((notice.flags ?? 0) & 64).toBe(64);
    expect(notice.allowed_mentions).toEqual({ parse: [] });
  });
});
