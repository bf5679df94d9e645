// The subscriptions area built as the composition root builds it, on the real keyv-backed
// memory backend: records round-trip through their codecs, and DMs leave through the sink.
import { describe, expect, it } from 'vitest';
import { loadTaxonomy } from '../../src/brief/topics/taxonomy.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { CronScheduler } from '../../src/time/cron.ts';
import type { Story } from '../../src/news/types.ts';
import { createStoreBackend } from '../../src/store/backend.ts';
import { buildSubscriptions } from '../../src/app/subscriptions.ts';
import { classifyFailure } from '../../src/delivery/failure.ts';
import { createFakeSink } from '../support/fake-sink.ts';
import { testCourier } from '../support/test-courier.ts';
import { createListedStoryFinder } from '../../src/brief/story-finder.ts';

const idleCron: CronScheduler = { schedule: () => ({ stop() {}, destroy() {} }) };

describe('built subscriptions', () => {
  it('stores readers and the sent ledger in the backend, and retries a DM Discord could not take yet', async () => {
    const config = loadConfig({ STORE_URL: 'memory://', LOG_LEVEL: 'silent' });
    const now = () => Date.parse('2025-03-10T12:00:00Z');
    const backend = await createStoreBackend({ url: 'memory://', now });
    const at = new Date(now() - 60_000).toISOString();
    const story: Story = {
      id: 's1',
      title: 'Summit opens',
      articleIds: ['a1'],
      sources: [],
      publishedAt: at,
      firstSeenAt: at,
      updatedAt: at,
      contentHash: 'h',
      topics: ['world'],
      entities: [],
      sourceWeight: 1,
      featured: false,
    };
    const sink = createFakeSink();
    const built = buildSubscriptions({
      config,
      backend,
      now,
      courier: testCourier(backend, sink, { now }),
      cron: idleCron,
      log: { info() {}, warn() {}, error() {} },
      taxonomy: loadTaxonomy(config.topics.taxonomyPath),
      stories: {
        getStory: async (id) => (id === 's1' ? story : undefined),
        ...createListedStoryFinder(async () => [story]),
      },
      brief: {
        summaryOf: async (s) => ({
          v: 1,
          headline: s.title,
          sentences: ['Leaders meet.'],
          keyFacts: [],
          topics: [],
          entities: [],
          summarizer: 'extractive',
        }),
      },
    });
    await built.service.subscribe('u1', 'World');

    sink.failures.push(classifyFailure({ status: 503 }));
    expect(await built.service.onNewStories(['s1'])).toMatchObject({ dms: 0, deferred: 1 });
    expect((await built.service.list('u1'))?.pendingStoryIds).toEqual(['s1']);

    await built.scheduler.start();
    await built.scheduler.stop();
    expect(sink.sent.map((d) => d.destination)).toEqual([{ kind: 'user', userId: 'u1' }]);
    expect(await built.service.runDue()).toMatchObject({ dms: 0 });
    expect((await built.service.list('u1'))?.pendingStoryIds).toBeUndefined();
    await backend.close();
  });
});
