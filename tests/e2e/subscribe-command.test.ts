// /subscribe, /unsubscribe, /subscriptions and /topics end to end: the real discord.js Client
// logged into the local fake Discord, the real dispatcher, the subscription service over
// in-memory stores, and DMs sent through client.rest.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { subscribeCommand } from '../../commands/subscribe.ts';
import { subscriptionsCommand } from '../../commands/subscriptions.ts';
import { topicsCommand } from '../../commands/topics.ts';
import { unsubscribeCommand } from '../../commands/unsubscribe.ts';
import type { BriefService } from '../../src/brief/brief-service.ts';
import type { StorySummary } from '../../src/brief/summary-types.ts';
import { loadTaxonomy } from '../../src/brief/topics/taxonomy.ts';
import { UNPACED } from '../../src/delivery/pacer.ts';
import { createDiscordBot, type DiscordBot } from '../../src/discord/client.ts';
import { createDiscordSink } from '../../src/discord/discord-sink.ts';
import { memoryCourierStore, testCourier } from '../support/test-courier.ts';
import { createDispatcher } from '../../src/discord/dispatcher.ts';
import { createLogger } from '../../src/logger.ts';
import type { Story } from '../../src/news/types.ts';
import type { Services } from '../../src/interaction/services.ts';
import { createSubscriptionService } from '../../src/subscriptions/subscription-service.ts';
import type { UserSubscriptions } from '../../src/subscriptions/subscription-types.ts';
import { startFakeDiscord, type CommandOptionInput, type FakeDiscord } from '../support/fake-discord.ts';
import { createMemoryClaimStore, createMemoryRecordStore } from '../support/memory-stores.ts';
import { waitFor } from '../support/wait.ts';
import { createListedStoryFinder } from '../../src/brief/story-finder.ts';

let fake: FakeDiscord | undefined;
let bot: DiscordBot | undefined;
afterEach(async () => {
  await bot?.stop();
  await fake?.close();
  bot = undefined;
  fake = undefined;
});

type Body = {
  type?: number;
  data?: Body;
  content?: string;
  embeds?: { title?: string; description?: string; fields?: { name: string; value: string }[] }[];
  flags?: number;
  choices?: { name: string; value: string }[];
};

function story(id: string, title: string, topics: string[], entities: string[]): Story {
  const at = new Date().toISOString();
  return {
    id,
    title,
    url: `https://news.example/${id}`,
    articleIds: [id],
    sources: [{ name: 'Example', url: `https://news.example/${id}` }] as Story['sources'],
    publishedAt: at,
    firstSeenAt: at,
    updatedAt: at,
    contentHash: id,
    topics,
    entities,
    sourceWeight: 1,
    featured: false,
  };
}

async function start() {
  fake = await startFakeDiscord({ heartbeatIntervalMs: 500 });
  const log = createLogger('silent');
  const now = Date.now;
  const taxonomy = loadTaxonomy(path.resolve(import.meta.dirname, '../../config/topics.json'));
  const library = new Map<string, Story>([
    ['s1', story('s1', 'Talks on Syria resume', ['world', 'syria'], ['Syria'])],
  ]);
  const summaryOf = async (s: Story): Promise<StorySummary> => ({
    v: 1,
    headline: s.title,
    sentences: [`${s.title}, @everyone.`],
    keyFacts: [],
    topics: s.topics,
    entities: s.entities,
    summarizer: 'extractive',
  });
  const brief = {
    summaryOf,
    ranked: async () =>
      [...library.values()].map((s) => ({
        story: s,
        score: 1,
        parts: { recency: 1, sourceWeight: 1, featured: 0, coverage: 0, topic: 0 },
      })),
  } as unknown as BriefService;
  // Ids of interactions the dispatcher has finished with (reply and any notice sent).
  const handled = new Set<string>();
  bot = createDiscordBot({ token: fake.token, apiUrl: fake.restUrl, log });
  const subscriptions = createSubscriptionService({
    store: createMemoryRecordStore<UserSubscriptions>(now),
    lane: testCourier(memoryCourierStore(now), createDiscordSink({ rest: bot.client.rest, pacer: UNPACED }), {
      now,
    }).lane('dms', { claimTtlMs: 60_000 }),
    claims: createMemoryClaimStore(now),
    taxonomy,
    brief,
    now,
    log,
    stories: {
      getStory: async (id) => library.get(id),
      ...createListedStoryFinder(async () => [...library.values()]),
    },
    limits: { maxSubscriptionsPerUser: 25 },
  });
  // Only what these commands read; the rest of Services belongs to other areas.
  const services = { subscriptions, taxonomy, brief, now, log } as unknown as Services;
  const dispatcher = createDispatcher({
    commands: [subscribeCommand, unsubscribeCommand, subscriptionsCommand, topicsCommand],
    services,
    log,
  });
  await bot.start(async (interaction) => {
    await dispatcher.handle(interaction);
    handled.add(interaction.id);
  });
  return { fake, subscriptions, library, handled };
}

async function run(discord: FakeDiscord, name: string, options: CommandOptionInput[] = []): Promise<Body> {
  const sent = await discord.dispatchInteraction({ kind: 'command', name, options });
  let answer: Body | undefined;
  await waitFor(
    () => {
      answer = discord.requests
        .filter(
          (r) =>
            r.path.includes(`/webhooks/${discord.applicationId}/${sent.token}`) ||
            r.path.startsWith(`/interactions/${sent.id}/`),
        )
        .filter((r) => r.method === 'PATCH' || r.method === 'POST')
        .map((r) => r.body as Body)
        .filter((b) => b.type !== 5)
        .at(-1);
      return answer !== undefined;
    },
    { what: `/${name} reply` },
  );
  const body = answer as Body;
  return body.type === undefined ? body : (body.data as Body);
}

async function autocomplete(
  discord: FakeDiscord,
  name: string,
  option: string,
  value: string,
): Promise<Body['choices']> {
  const sent = await discord.dispatchInteraction({
    kind: 'autocomplete',
    name,
    options: [{ name: option, type: 3, value, focused: true }],
  });
  const callback = await discord.waitForRequest((r) => r.path.startsWith(`/interactions/${sent.id}/`));
  return (callback.body as Body).data?.choices;
}

describe('subscriptions through the fake Discord', () => {
  it('subscribes privately, DMs the next matching story with no mentions, and unsubscribes', async () => {
    const { fake, subscriptions, library } = await start();
    const reply = await run(fake, 'subscribe', [{ name: 'topic', type: 3, value: 'syria' }]);
    expect(reply.content).toContain('You now follow **Syria**');
    expect(reply.flags).toBe(64);

    library.set('s2', story('s2', 'Aid convoy reaches Syria', ['world', 'syria'], ['Syria']));
    expect((await subscriptions.onNewStories(['s2'])).dms).toBe(1);
    const channelId = fake.dmChannelOf(fake.userId) ?? '';
    const dm = fake.requests.find((r) => r.method === 'POST' && r.path === `/channels/${channelId}/messages`);
    expect(dm?.body).toMatchObject({
      allowed_mentions: { parse: [] },
      embeds: [{ title: 'Aid convoy reaches Syria' }],
    });
    // Its Topics field names the section as /topics does ("World"), not by its key.
    const topicsField = (dm?.body as Body).embeds?.[0]?.fields?.find((f) => f.name === 'Topics');
    expect(topicsField?.value.split(', ')[0]).toBe('World');

    const mine = await run(fake, 'subscriptions');
    expect(mine.content).toContain('• Syria');
    expect(mine.flags).toBe(64);
    expect(await autocomplete(fake, 'unsubscribe', 'topic', 'sy')).toEqual([
      { name: 'Syria', value: 'Syria' },
    ]);
    const gone = await run(fake, 'unsubscribe', [{ name: 'topic', type: 3, value: 'Syria' }]);
    expect(gone.content).toContain('You no longer follow **Syria**');
  });

  it('answers an unknown topic with the /topics hint, and suggests sections and names', async () => {
    const { fake } = await start();
    const reply = await run(fake, 'subscribe', [{ name: 'topic', type: 3, value: 'Atlantis' }]);
    expect(reply.content).toMatch(/don't know the topic "Atlantis".*\/topics/);
    expect(await autocomplete(fake, 'subscribe', 'topic', 'syr')).toEqual([
      { name: 'Syria (1 story)', value: 'Syria' },
    ]);
    expect((await autocomplete(fake, 'subscribe', 'topic', 'busi'))?.[0]).toEqual({
      name: 'Business',
      value: 'business',
    });
  });

  it('pauses on closed DMs (50007)', async () => {
    const { fake, subscriptions, library, handled } = await start();
    await run(fake, 'subscribe', [{ name: 'topic', type: 3, value: 'World' }]);
    fake.failNext({ method: 'POST', pathPattern: /^\/channels\/\d+\/messages$/, status: 403, code: 50007 });
    library.set('s2', story('s2', 'Summit opens', ['world'], []));
    expect((await subscriptions.onNewStories(['s2'])).paused).toBe(1);
    const sent = await fake.dispatchInteraction({ kind: 'command', name: 'subscriptions' });
    const bodiesOf = (token: string) =>
      fake.requests
        .filter(
          (r) =>
            (r.path.includes(`/webhooks/${fake.applicationId}/${token}`) ||
              r.path.includes(`/${token}/callback`)) &&
            (r.method === 'PATCH' || r.method === 'POST'),
        )
        .map((r) => JSON.stringify(r.body));
    // The reply shows the pause, and the one-time notice follows it privately.
    await waitFor(() => bodiesOf(sent.token).length >= 2, { what: 'reply and notice' });
    expect(bodiesOf(sent.token).some((b) => b.includes('**Paused:**'))).toBe(true);
    expect(bodiesOf(sent.token).filter((b) => b.includes('Your subscriptions are paused'))).toHaveLength(1);
    // Only once: the next command carries no notice.
    const next = await fake.dispatchInteraction({ kind: 'command', name: 'subscriptions' });
    await waitFor(() => handled.has(next.id), { what: 'the second command handled to the end' });
    expect(bodiesOf(next.token).length).toBeGreaterThan(0);
    expect(bodiesOf(next.token).some((b) => b.includes('Your subscriptions are paused'))).toBe(false);
  });

  it('lists the topics with counts', async () => {
    const { fake } = await start();
    const reply = await run(fake, 'topics');
    expect(reply.embeds?.[0]?.description).toContain('**World** · 1 story');
    expect(reply.embeds?.[0]?.fields?.[0]).toEqual({ name: 'Most mentioned names', value: 'Syria (1)' });
  });
});
