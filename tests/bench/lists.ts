// `npm run bench -- lists [--json] [--sizes 10000,100000]`: the commands that pick stories from
// the whole store — /brief, story autocomplete (/ask story:), /topics, /status's count and a
// /subscribe name lookup — on a SQLite store of N stories, through the story catalog, beside
// the same answers computed as the commands did before it (reading every stored story), in the
// same process on the same store. Stories are written straight into the store (one short
// article each, spread over 30 days) and indexed by the answer index's own catch-up.
import { mkdtempSync, rmSync } from 'node:fs';
import { allCommands } from '../../commands/index.ts';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rankStories } from '../../src/brief/ranking.ts';
import { loadTaxonomy } from '../../src/brief/topics/taxonomy.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createLogger } from '../../src/logger.ts';
import { createHerald } from '../../src/app/herald.ts';
import { isVisibleTo, readerIn, type Story, type StoredArticle } from '../../src/news/types.ts';
import { topicOverview, resolveTopic } from '../../src/brief/topic-catalog.ts';
import { quietTransport } from '../support/quiet-transport.ts';
import { syntheticArticle } from '../support/synthetic-news.ts';

const HOUR = 3_600_000;
const REPEATS = 5;

function storyAt(i: number, now: number): { story: Story; article: StoredArticle } {
  const a = syntheticArticle(i);
  const published = new Date(now - ((i * 7919) % (30 * 24)) * HOUR).toISOString();
  const place = a.title.split(' ')[0] ?? 'Caldera';
  const story: Story = {
    id: `s-${i}`,
    title: a.title,
    articleIds: [`a-${i}`],
    sources: [{ name: `Wire ${i % 20}` }],
    publishedAt: published,
    firstSeenAt: published,
    updatedAt: published,
    contentHash: `h-${i}`,
    topics: [['world', 'business', 'science', 'sports'][i % 4] ?? 'world'],
    entities: [place],
    sourceWeight: 1,
    featured: i % 50 === 0,
  };
  const article: StoredArticle = {
    id: `a-${i}`,
    storyId: story.id,
    title: a.title,
    paragraphs: a.paragraphs.slice(0, 1),
    source: { name: `Wire ${i % 20}` },
    contentHash: `h-${i}`,
    fetchedAt: published,
    publishedAt: published,
    sourceTopics: [],
  };
  return { story, article };
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return Math.round(median(times) * 10) / 10;
}

async function measure(size: number): Promise<Record<string, number>> {
  const dir = mkdtempSync(path.join(tmpdir(), `herald-lists-${size}-`));
  try {
    const config = loadConfig({
      STORE_URL: `sqlite://${path.join(dir, 'herald.sqlite')}`,
      LOG_LEVEL: 'silent',
    });
    const herald = await createHerald(config, {
      commands: allCommands,
      transport: quietTransport(),
      log: createLogger('silent'),
    });
    const now = Date.now();
    const repository = herald.stories.repository;
    for (let i = 0; i < size; i += 1_000) {
      const made = Array.from({ length: Math.min(1_000, size - i) }, (_, k) => storyAt(i + k, now));
      await repository.commitBatch({
        articles: made.map((m) => m.article),
        stories: made.map((m) => m.story),
      });
      await herald.stories.catchUpIndex();
    }
    const reader = readerIn('g1');
    const { brief, status, subscriptions } = herald.services;
    const taxonomy = loadTaxonomy(config.topics.taxonomyPath);
    const ranking = {
      now: Date.now(),
      halfLifeHours: herald.config.brief.recencyHalfLifeHours,
      frontPageTopics: taxonomy.keys().slice(0, 4),
    };
    const place = syntheticArticle(3).title.split(' ')[0] ?? 'Caldera';
    const word = syntheticArticle(size - 1).title.split(' ')[1] ?? 'council';
    const visible = async () =>
      (await repository.listStories()).filter((story) => isVisibleTo(story, reader));
    const row: Record<string, number> = { size };
    row.briefBefore = await timed(async () => rankStories(await visible(), ranking).slice(0, 5));
    row.briefAfter = await timed(() => brief.ranked({ audience: reader, count: 5 }));
    row.titleBefore = await timed(async () =>
      (await visible()).filter((s) => s.title.toLowerCase().includes(word.toLowerCase())).slice(0, 25),
    );
    row.titleAfter = await timed(() => brief.findByTitle(word, 25, reader));
    row.topicsBefore = await timed(async () => topicOverview(taxonomy, await visible()));
    row.topicsAfter = await timed(() => subscriptions.topics(reader));
    row.countBefore = await timed(() => repository.countStories());
    row.countAfter = await timed(async () => (await status.snapshot()).stories);
    row.followBefore = await timed(async () => resolveTopic(place, taxonomy, await visible()));
    row.followAfter = await timed(() =>
      subscriptions.subscribe(`bench-${Math.random()}`, place, { guildId: 'g1' }),
    );
    await herald.close();
    return row;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(args: string[]): Promise<void> {
  const json = args.includes('--json');
  const sizesArg = args[args.indexOf('--sizes') + 1];
  const sizes = args.includes('--sizes') && sizesArg ? sizesArg.split(',').map(Number) : [10_000, 100_000];
  const rows: Record<string, number>[] = [];
  for (const size of sizes) rows.push(await measure(size));
  console.log(
    `lists: commands that pick stories from the whole store, SQLite, median of ${REPEATS} (ms); "before" reads every story as the commands did`,
  );
  console.log(
    '| stories | /brief (5) before / after | autocomplete (25) before / after | /topics before / after | /status count before / after | /subscribe name before / after |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(
      `| ${Number(r.size).toLocaleString('en')} | ${r.briefBefore} / **${r.briefAfter}** | ${r.titleBefore} / **${r.titleAfter}** | ${r.topicsBefore} / **${r.topicsAfter}** | ${r.countBefore} / **${r.countAfter}** | ${r.followBefore} / **${r.followAfter}** |`,
    );
  }
  if (json) console.log(JSON.stringify({ rows }));
}
