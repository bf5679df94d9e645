// Channel feeds as `npm start` runs them: Herald's composition root, connected to the local fake
// Discord by the same connectDiscord, posting what an ingest run brings through the change
// notification, with no test code between the ingest and the post.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBot, type BotHarness } from '../support/herald-harness.ts';
import { waitFor } from '../support/wait.ts';

const SAMPLES = 'config/sample-news';
let harness: BotHarness | undefined;
let dir: string | undefined;
afterEach(async () => {
  await harness?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  harness = undefined;
  dir = undefined;
});

describe('channel feeds wired into Herald', () => {
  it('posts a story an ingest run brings into the channel following its topic, and not its syndicated copy', async () => {
    harness = await startBot({ sampleNews: false });
    const { fake, herald } = harness;
    dir = mkdtempSync(path.join(tmpdir(), 'herald-feed-'));
    copyFileSync(
      path.join(SAMPLES, 'metro-ledger--caldera-ferry-fares.txt'),
      path.join(dir, 'metro-ledger--caldera-ferry-fares.txt'),
    );
    await herald.services.ingest.ingestLocations([dir]);

    const sent = await fake.dispatchInteraction({
      kind: 'command',
      name: 'feed',
      options: [
        {
          name: 'add',
          type: 1,
          options: [
            { name: 'channel', type: 7, value: fake.channelId },
            { name: 'topic', type: 3, value: 'Business' },
          ],
        },
      ],
    });
    await waitFor(() => fake.requests.some((r) => r.method === 'PATCH' && r.path.includes(sent.token)), {
      what: '/feed add reply',
    });
    const reply = fake.requests.find((r) => r.method === 'PATCH' && r.path.includes(sent.token))?.body as {
      content?: string;
    };
    expect(reply.content).toMatch(/^Added feed/);

    copyFileSync(
      path.join(SAMPLES, 'valley-dispatch--caldera-port-strike.txt'),
      path.join(dir, 'valley-dispatch--caldera-port-strike.txt'),
    );
    await herald.services.ingest.ingestLocations([dir]);
    await herald.services.feeds.idle();
    const posts = fake.requests.filter(
      (r) => r.method === 'POST' && r.path === `/channels/${fake.channelId}/messages` && r.status === 200,
    );
    const titles = posts.map((r) => (r.body as { embeds?: { title?: string }[] }).embeds?.[0]?.title ?? '');
    expect(titles).toEqual(['Caldera dockworkers walk out over port automation']);

    // Another paper's copy of the same story merges into it: no second message (no thread to update).
    copyFileSync(
      path.join(SAMPLES, 'coastline-courier--caldera-port-strike.txt'),
      path.join(dir, 'coastline-courier--caldera-port-strike.txt'),
    );
    const report = await herald.services.ingest.ingestLocations([dir]);
    expect(report.merged).toHaveLength(1);
    await herald.services.feeds.idle();
    expect(
      fake.requests.filter(
        (r) => r.method === 'POST' && r.path === `/channels/${fake.channelId}/messages` && r.status === 200,
      ),
    ).toHaveLength(1);
  });
});
