// `npm run bench -- feeds [--json]`: channel feeds at scale.
// 1) Posting: 1,000 channel feeds, each matching two of 200 new stories (2,000 posts), delivered
//    by the real feed service and delivery through the delivery layer's Discord sink (discord.js
//    REST, the process pacer) to the local fake Discord, which enforces a global 50 requests/s
//    limit with 429s. Reports seconds against the 40 s floor that limit sets, requests, 429s,
//    duplicates (channels with more than two messages: must be 0), missing posts, and a second
//    run of the same change notification (must post nothing). One row per pacer setting (50/s,
//    and the delivery layer's default 45/s), and a third at 45/s where half the feeds have a
//    text template and a role mention (pinged: posts whose allowed_mentions name exactly that
//    role), all measured in the same run.
// 3) Rendering: 10,000 posts with a template (and fitted), beside the default card, same run.
// 2) Matching: 10,000 feeds against 500 stories with the indexed matcher, beside a plain scan of
//    every feed against every story in the same run (the baseline).
// Stories and feeds are synthetic (generated here); nothing is read from the eval data.
import { REST } from 'discord.js';
import { createTaxonomy } from '../../src/brief/topics/taxonomy.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createPacer, DISCORD_PACE_PER_SECOND } from '../../src/delivery/pacer.ts';
import { createDiscordSink } from '../../src/discord/discord-sink.ts';
import { buildFeeds } from '../../src/app/feeds.ts';
import { defaultSleep } from '../../src/delivery/retry.ts';
import { testCourier } from '../support/test-courier.ts';
import {
  createFeedMatcher,
  sourceKey,
  type FeedMatchStory,
  type MatchableFeed,
} from '../../src/feeds/feed-matcher.ts';
import { channelFeedCodec, type ChannelFeed } from '../../src/feeds/feed-types.ts';
import { compileFeedFilters, matchText } from '../../src/feeds/filters.ts';
import { createLogger } from '../../src/logger.ts';
import { createStoreBackend } from '../../src/store/backend.ts';
import { createStoryShelf } from '../support/feed-stories.ts';
import { startFakeDiscord, type FakeDiscord } from '../support/fake-discord.ts';
import { fitMessage } from '../../src/delivery/fit.ts';
import { storyMessage } from '../../src/feeds/feed-render.ts';

const FEEDS = 1_000;
const STORIES = 200;
const TOPICS = 100;
const LIMIT_PER_SECOND = 50;
const MATCH_FEEDS = 10_000;
const MATCH_STORIES = 500;
const WORDS = [
  'comet',
  'harbour',
  'budget',
  'strike',
  'vaccine',
  'election',
  'drought',
  'satellite',
  'merger',
  'ferry',
  'glacier',
  'tariff',
  'battery',
  'museum',
  'wildfire',
  'court',
];

/** What half the feeds of a shaped round set (/feed edit): a text template and a role to ping. */
const BENCH_TEMPLATE =
  '**{title}** · {sources} ({sourceCount})\n{summary}\n{topics} · {names} · {published}\n<{url}>';
const BENCH_ROLE = { roleId: '1100000000000000001', name: 'news-desk' };

/** One round: fresh stores and feeds on the same channels; counts are per round. */
async function measurePosting(
  fake: FakeDiscord,
  channelIds: string[],
  round: number,
  perSecond: number,
  shaped: boolean,
) {
  const now = Date.now;
  const backend = await createStoreBackend({ url: 'memory://', now });
  const shelf = createStoryShelf(now);
  const taxonomy = createTaxonomy({
    version: 1,
    sections: [{ key: 'science', name: 'Science', description: 'Science', terms: ['study'] }],
  });
  const config = loadConfig({ STORE_URL: 'memory://' });
  const rest = new REST({ api: fake.restUrl }).setToken(fake.token);
  const transport = {
    sink: createDiscordSink({ rest, pacer: createPacer({ perSecond }) }),
    access: { missingPermissions: async () => [], noticeChannels: async () => [] },
  };
  const notifier = { notifyOnce: async () => {}, rearm: async () => {} };
  const built = buildFeeds({
    config,
    backend,
    transport,
    courier: testCourier(backend, transport.sink, { now, sleep: defaultSleep }),
    notifier,
    stories: shelf,
    brief: shelf,
    taxonomy,
    sources: { forGuild: async () => [] },
    log: createLogger('silent'),
    now,
  });
  const feeds = backend.records('channel-feeds', channelFeedCodec);
  const since = new Date(now() - 60_000).toISOString();
  for (const [index, channelId] of channelIds.entries()) {
    const id = `f-bench${round}-${index}`;
    const feed: ChannelFeed = {
      id,
      guildId: fake.guildId,
      channelId,
      channelKind: 'text',
      topic: { key: `topic ${index % TOPICS}`, label: `Topic ${index % TOPICS}`, kind: 'entity' },
      threads: false,
      createdBy: 'bench',
      createdAt: since,
      updatedAt: since,
      since,
      ...(shaped && index % 2 === 0
        ? { style: 'text' as const, template: BENCH_TEMPLATE, mention: BENCH_ROLE }
        : {}),
    };
    await feeds.set(id, feed);
  }
  const storyIds = Array.from({ length: STORIES }, (_, index) =>
    shelf.put(`r${round}-s${index}`, {
      title: `${WORDS[index % WORDS.length] ?? 'news'} story ${index}`,
      topics: [],
      entities: [`Topic ${index % TOPICS}`],
    }),
  );
  const before = channelIds.map((id) => fake.messagesIn(id).length);
  const requestsBefore = fake.requests.length;
  const hitsBefore = fake.globalRateLimitHits;
  const started = performance.now();
  const report = await built.service.onNewStories(storyIds);
  const seconds = (performance.now() - started) / 1000;
  const pinged = fake.requests
    .slice(requestsBefore)
    .filter(
      (request) =>
        request.status === 200 &&
        JSON.stringify((request.body as { allowed_mentions?: unknown }).allowed_mentions) ===
          JSON.stringify({ parse: [], roles: [BENCH_ROLE.roleId] }),
    ).length;
  const requests = fake.requests.length - requestsBefore;
  const rateLimited = fake.globalRateLimitHits - hitsBefore;
  const again = await built.service.onNewStories(storyIds);
  rest.clearHashSweeper();
  rest.clearHandlerSweeper();
  await backend.close();
  const added = channelIds.map((id, index) => fake.messagesIn(id).length - (before[index] ?? 0));
  return {
    feeds: shaped ? 'half templated + role ping' : 'plain',
    pacerPerSecond: perSecond,
    posted: report.posted,
    pinged,
    seconds: Number(seconds.toFixed(2)),
    floorSeconds: (FEEDS * 2) / LIMIT_PER_SECOND,
    ratio: Number((seconds / ((FEEDS * 2) / LIMIT_PER_SECOND)).toFixed(3)),
    requests,
    rateLimited,
    duplicates: added.reduce((sum, count) => sum + Math.max(0, count - 2), 0),
    missing: added.reduce((sum, count) => sum + Math.max(0, 2 - count), 0),
    secondRunPosts: again.posted + again.listed,
  };
}

/** Deterministic pseudo-random numbers, so every run matches the same feeds and stories. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

function matchingWorkload() {
  const random = seeded(13);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const topics = Array.from({ length: 300 }, (_, index) => `topic ${index}`);
  const sources = Array.from({ length: 50 }, (_, index) => `Source ${index}`);
  const feeds: MatchableFeed[] = Array.from({ length: MATCH_FEEDS }, (_, index) => {
    const shape = index % 5;
    const feed: MatchableFeed = { id: `f${index}` };
    if (shape !== 1) feed.topic = { key: pick(topics) };
    if (shape === 1 || shape === 2) feed.source = pick(sources);
    if (shape === 3) feed.include = `${pick(WORDS)}, ${pick(WORDS)}`;
    if (shape === 4) feed.include = `/${pick(WORDS)}|${pick(WORDS)}/`;
    if (index % 7 === 0) feed.exclude = pick(WORDS);
    return feed;
  });
  const stories: FeedMatchStory[] = Array.from({ length: MATCH_STORIES }, (_, index) => ({
    id: `s${index}`,
    topics: [pick(topics), pick(topics)],
    entities: [pick(topics), pick(topics), pick(topics)],
    sources: [{ name: pick(sources) }],
  }));
  const titles = new Map(
    stories.map((story) => [story.id, `${pick(WORDS)} and ${pick(WORDS)} in the ${pick(WORDS)} news`]),
  );
  return { feeds, stories, titles };
}

/** The baseline: every feed against every story, the same rules without the index. */
function scanAll(
  feeds: readonly MatchableFeed[],
  stories: readonly FeedMatchStory[],
  texts: Map<string, ReturnType<typeof matchText>>,
): number {
  const compiled = feeds.map((feed) => ({
    feed,
    filter: compileFeedFilters(feed),
    topic: feed.topic?.key,
    source: feed.source === undefined ? undefined : sourceKey(feed.source),
  }));
  let matches = 0;
  for (const story of stories) {
    const keys = new Set([...story.topics, ...story.entities]);
    const storySources = new Set(story.sources.map((source) => sourceKey(source.name)));
    for (const { filter, topic, source } of compiled) {
      if (topic !== undefined && !keys.has(topic)) continue;
      if (source !== undefined && !storySources.has(source)) continue;
      if (filter && !filter(texts.get(story.id) as ReturnType<typeof matchText>)) continue;
      matches += 1;
    }
  }
  return matches;
}

/**
 * Rendering 10,000 posts with a template (text style, every placeholder) beside the default
 * embed card, the same stories, in the same run; each way three times alternating, medians.
 */
async function measureRendering() {
  const posts = 10_000;
  const shelf = createStoryShelf();
  const sections = createTaxonomy({
    version: 1,
    sections: [{ key: 'science', name: 'Science', description: 'Science', terms: ['study'] }],
  });
  const inputs = await Promise.all(
    Array.from({ length: posts }, async (_, index) => {
      const id = shelf.put(`render-${index}`, {
        title: `${WORDS[index % WORDS.length] ?? 'news'} story ${index}`,
        sources: ['Daily Planet', 'Gazette', `Outlet ${index % 40}`],
        entities: [`Topic ${index % TOPICS}`, 'ESA'],
        text: ['A first sentence of the summary.', 'A second one with a number, 42.'],
      });
      const story = (await shelf.getStory(id)) as NonNullable<Awaited<ReturnType<typeof shelf.getStory>>>;
      return {
        story,
        summary: await shelf.summaryOf(story),
        sections,
        timeZone: 'Europe/Berlin',
        now: Date.now(),
      };
    }),
  );
  const templated = { style: 'text' as const, template: BENCH_TEMPLATE, mention: BENCH_ROLE };
  const times = { templated: [] as number[], card: [] as number[] };
  const cpu = { templated: [] as number[], card: [] as number[] };
  const cpuMs = (since: NodeJS.CpuUsage): number => {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1000;
  };
  let length = 0;
  for (let round = 0; round < 3; round++) {
    let cpuStart = process.cpuUsage();
    let started = performance.now();
    for (const input of inputs)
      length += fitMessage(storyMessage(templated, input, { mention: true })).length;
    times.templated.push(performance.now() - started);
    cpu.templated.push(cpuMs(cpuStart));
    cpuStart = process.cpuUsage();
    started = performance.now();
    for (const input of inputs) length += fitMessage(storyMessage({}, input)).length;
    times.card.push(performance.now() - started);
    cpu.card.push(cpuMs(cpuStart));
  }
  return {
    posts,
    templatedMs: Number(median(times.templated).toFixed(1)),
    templatedCpuMs: Number(median(cpu.templated).toFixed(1)),
    cardMs: Number(median(times.card).toFixed(1)),
    cardCpuMs: Number(median(cpu.card).toFixed(1)),
    parts: length,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Each way three times, alternating, so JIT warm-up and a busy machine hit both alike; medians reported. */
function measureMatching() {
  const { feeds, stories, titles } = matchingWorkload();
  const texts = new Map(stories.map((story) => [story.id, matchText([titles.get(story.id) ?? ''])]));
  const indexedTimes: number[] = [];
  const scanTimes: number[] = [];
  // CPU time beside wall time: on a shared machine the wall clock also counts other processes.
  const indexedCpu: number[] = [];
  const scanCpu: number[] = [];
  const cpuMs = (since: NodeJS.CpuUsage): number => {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1000;
  };
  let indexedMatches = 0;
  let scanMatches = 0;
  for (let round = 0; round < 3; round++) {
    const cpuIndexed = process.cpuUsage();
    const startedIndexed = performance.now();
    // Building the index (and compiling every filter) counts: a run builds it from the stored feeds.
    const result = createFeedMatcher(feeds).match(
      stories,
      (story) => texts.get(story.id) as ReturnType<typeof matchText>,
    );
    indexedTimes.push(performance.now() - startedIndexed);
    indexedCpu.push(cpuMs(cpuIndexed));
    indexedMatches = [...result.values()].reduce((sum, list) => sum + list.length, 0);
    const cpuScan = process.cpuUsage();
    const startedScan = performance.now();
    scanMatches = scanAll(feeds, stories, texts);
    scanTimes.push(performance.now() - startedScan);
    scanCpu.push(cpuMs(cpuScan));
  }
  const indexedMs = median(indexedTimes);
  return {
    feeds: MATCH_FEEDS,
    stories: MATCH_STORIES,
    matches: indexedMatches,
    scanMatches,
    indexedMs: Number(indexedMs.toFixed(1)),
    scanMs: Number(median(scanTimes).toFixed(1)),
    indexedCpuMs: Number(median(indexedCpu).toFixed(1)),
    scanCpuMs: Number(median(scanCpu).toFixed(1)),
    underOneSecond: indexedMs < 1000,
  };
}

export async function run(args: string[]): Promise<void> {
  const matching = measureMatching();
  const rendering = await measureRendering();
  if (args.includes('--matching-only')) {
    console.log(JSON.stringify({ bench: 'feeds', matching, rendering }));
    return;
  }
  const fake = await startFakeDiscord({ globalLimitPerSecond: LIMIT_PER_SECOND });
  try {
    const channelIds = Array.from({ length: FEEDS }, (_, index) => fake.addChannel(0, `feed-${index}`));
    const rows = [];
    const rounds = [
      [LIMIT_PER_SECOND, false],
      [DISCORD_PACE_PER_SECOND, false],
      [DISCORD_PACE_PER_SECOND, true],
    ] as const;
    for (const [round, [perSecond, shaped]] of rounds.entries()) {
      // Each round starts with the fake's window empty, not full of the last round's requests.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      rows.push(await measurePosting(fake, channelIds, round, perSecond, shaped));
    }
    console.log(
      'feeds                       pacer/s  posted  pinged  seconds  floor  ratio  requests  429s  duplicates  missing  2nd-run',
    );
    for (const r of rows) {
      console.log(
        `${r.feeds.padEnd(26)}  ${String(r.pacerPerSecond).padStart(7)}  ${String(r.posted).padStart(6)}  ${String(r.pinged).padStart(6)}  ${r.seconds.toFixed(2).padStart(7)}  ${String(r.floorSeconds).padStart(5)}  ` +
          `${r.ratio.toFixed(3).padStart(5)}  ${String(r.requests).padStart(8)}  ${String(r.rateLimited).padStart(4)}  ${String(r.duplicates).padStart(10)}  ` +
          `${String(r.missing).padStart(7)}  ${String(r.secondRunPosts).padStart(7)}`,
      );
    }
    console.log(`(fake Discord limit ${LIMIT_PER_SECOND}/s; ${FEEDS} feeds x 2 of ${STORIES} stories)`);
    console.log('');
    console.log('matching (median of 3)  feeds  stories  matches  wall ms  cpu ms');
    console.log(
      `indexed matcher     ${String(matching.feeds).padStart(9)}  ${String(matching.stories).padStart(7)}  ${String(matching.matches).padStart(7)}  ${String(matching.indexedMs).padStart(7)}  ${String(matching.indexedCpuMs).padStart(6)}`,
    );
    console.log(
      `scan (baseline)     ${String(matching.feeds).padStart(9)}  ${String(matching.stories).padStart(7)}  ${String(matching.scanMatches).padStart(7)}  ${String(matching.scanMs).padStart(7)}  ${String(matching.scanCpuMs).padStart(6)}`,
    );
    console.log('');
    console.log('rendering (median of 3)   posts  wall ms  cpu ms');
    console.log(
      `templated text + mention  ${String(rendering.posts).padStart(5)}  ${String(rendering.templatedMs).padStart(7)}  ${String(rendering.templatedCpuMs).padStart(6)}`,
    );
    console.log(
      `default card (baseline)   ${String(rendering.posts).padStart(5)}  ${String(rendering.cardMs).padStart(7)}  ${String(rendering.cardCpuMs).padStart(6)}`,
    );
    const result = { bench: 'feeds', limitPerSecond: LIMIT_PER_SECOND, posting: rows, matching, rendering };
    if (args.includes('--json')) console.log(JSON.stringify(result));
  } finally {
    await fake.close();
  }
}
