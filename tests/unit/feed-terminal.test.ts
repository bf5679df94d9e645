// A feed on the terminal channel prints new stories as they arrive, through the same service
// and delivery as Discord, on the terminal's delivery transport.
import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createTaxonomy } from '../../src/brief/topics/taxonomy.ts';
import { loadConfig } from '../../src/config/load.ts';
import { buildFeeds } from '../../src/app/feeds.ts';
import { createLogger } from '../../src/logger.ts';
import { createStoreBackend } from '../../src/store/backend.ts';
import { createTerminalAccess, createTerminalSink } from '../../src/terminal/terminal-sink.ts';
import { TERMINAL_CHANNEL_ID, TERMINAL_GUILD_ID } from '../../src/terminal/terminal.ts';
import { createStoryShelf, testNotifier } from '../support/feed-stories.ts';
import { testCourier } from '../support/test-courier.ts';

describe('channel feeds in the terminal mode', () => {
  it('prints each new matching story once, as it arrives', async () => {
    const backend = await createStoreBackend({ url: 'memory://' });
    const shelf = createStoryShelf();
    const taxonomy = createTaxonomy({
      version: 1,
      sections: [{ key: 'science', name: 'Science', description: 'Science', terms: ['study'] }],
    });
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const transport = { sink: createTerminalSink(output), access: createTerminalAccess() };
    const built = buildFeeds({
      config: loadConfig({ STORE_URL: 'memory://' }),
      backend,
      transport,
      courier: testCourier(backend, transport.sink),
      notifier: testNotifier(backend, transport),
      stories: shelf,
      brief: shelf,
      taxonomy,
      sources: { forGuild: async () => [] },
      log: createLogger('silent'),
      now: Date.now,
    });
    const { feed } = await built.service.add({
      guildId: TERMINAL_GUILD_ID,
      channelId: TERMINAL_CHANNEL_ID,
      topic: 'science',
      userId: 'me',
    });
    expect(feed.channelKind).toBe('terminal');

    await built.service.onNewStories([
      shelf.put('s1', { title: 'Comet seen' }),
      shelf.put('b1', { title: 'Markets up', topics: ['business'] }),
    ]);
    await built.service.onNewStories(['s1']);
    expect(printed.match(/Comet seen/g)).toHaveLength(1);
    expect(printed).not.toContain('Markets up');
    await backend.close();
  });

  it('prints a templated post with its role mention as @role-name, and /feed edit from the terminal keeps the feed', async () => {
    const backend = await createStoreBackend({ url: 'memory://' });
    const shelf = createStoryShelf();
    const taxonomy = createTaxonomy({
      version: 1,
      sections: [{ key: 'science', name: 'Science', description: 'Science', terms: ['study'] }],
    });
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const transport = { sink: createTerminalSink(output), access: createTerminalAccess() };
    const built = buildFeeds({
      config: loadConfig({ STORE_URL: 'memory://' }),
      backend,
      transport,
      courier: testCourier(backend, transport.sink),
      notifier: testNotifier(backend, transport),
      stories: shelf,
      brief: shelf,
      taxonomy,
      sources: { forGuild: async () => [] },
      log: createLogger('silent'),
      now: Date.now,
    });
    const { feed } = await built.service.add({
      guildId: TERMINAL_GUILD_ID,
      channelId: TERMINAL_CHANNEL_ID,
      topic: 'science',
      userId: 'me',
    });
    const edited = await built.service.edit({
      guildId: TERMINAL_GUILD_ID,
      feedId: feed.id,
      style: 'text',
      template: 'NEW: {title} ({topics})',
      mention: '@news-desk',
    });
    expect(edited.feed.id).toBe(feed.id);
    await built.service.onNewStories([shelf.put('s1', { title: 'Comet seen' })]);
    expect(printed).toMatch(/(^|[^@])@news-desk\nNEW: Comet seen \(Science\)/);
    expect(printed).not.toContain('<@&');
    await backend.close();
  });

  it('summarizes no story that no feed takes (a model summary costs money)', async () => {
    const backend = await createStoreBackend({ url: 'memory://' });
    const shelf = createStoryShelf();
    const summarized: string[] = [];
    const brief = {
      summaryOf: async (story: Parameters<typeof shelf.summaryOf>[0]) => (
        summarized.push(story.id),
        shelf.summaryOf(story)
      ),
    };
    const taxonomy = createTaxonomy({
      version: 1,
      sections: [{ key: 'science', name: 'Science', description: 'Science', terms: ['study'] }],
    });
    const output = new PassThrough();
    output.resume();
    const transport = { sink: createTerminalSink(output), access: createTerminalAccess() };
    const built = buildFeeds({
      config: loadConfig({ STORE_URL: 'memory://' }),
      backend,
      transport,
      courier: testCourier(backend, transport.sink),
      notifier: testNotifier(backend, transport),
      stories: shelf,
      brief,
      taxonomy,
      sources: { forGuild: async () => [] },
      log: createLogger('silent'),
      now: Date.now,
    });
    await built.service.add({
      guildId: TERMINAL_GUILD_ID,
      channelId: TERMINAL_CHANNEL_ID,
      topic: 'science',
      exclude: 'rumour',
      userId: 'me',
    });
    await built.service.onNewStories([
      shelf.put('s1', { title: 'Comet seen' }),
      shelf.put('b1', { title: 'Markets up', topics: ['business'] }),
    ]);
    expect(summarized).not.toContain('b1');
    expect(summarized).toContain('s1');
    await backend.close();
  });

  it('posts a story once when two instances on one store get the same change notification', async () => {
    // Redis when the CI provides it (as several instances run), else one shared memory store.
    const url = process.env.REDIS_URL ?? 'memory://';
    const shared = await createStoreBackend({ url, keyPrefix: `test-feeds-${randomUUID()}` });
    const shelf = createStoryShelf();
    const taxonomy = createTaxonomy({
      version: 1,
      sections: [{ key: 'science', name: 'Science', description: 'Science', terms: ['study'] }],
    });
    let printed = '';
    const instance = () => {
      const output = new PassThrough();
      output.on('data', (chunk: Buffer) => (printed += chunk.toString()));
      const transport = { sink: createTerminalSink(output), access: createTerminalAccess() };
      return buildFeeds({
        config: loadConfig({ STORE_URL: 'memory://' }),
        backend: shared,
        transport,
        courier: testCourier(shared, transport.sink),
        notifier: testNotifier(shared, transport),
        stories: shelf,
        brief: shelf,
        taxonomy,
        sources: { forGuild: async () => [] },
        log: createLogger('silent'),
        now: Date.now,
      }).service;
    };
    const [first, second] = [instance(), instance()];
    await first.add({
      guildId: TERMINAL_GUILD_ID,
      channelId: TERMINAL_CHANNEL_ID,
      topic: 'science',
      userId: 'me',
    });
    const ids = [shelf.put('s1', { title: 'Comet seen' }), shelf.put('s2', { title: 'Moon dust' })];
    await Promise.all([first.onNewStories(ids), second.onNewStories(ids)]);
    expect(printed.match(/Comet seen/g)).toHaveLength(1);
    expect(printed.match(/Moon dust/g)).toHaveLength(1);
    await shared.close();
  });
});
