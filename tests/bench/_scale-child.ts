// One size of the scale bench, in its own process so memory and start time are its own.
//   ingest <store url>: an ingest server for the parent (IPC), warmed up first on a throwaway
//     store of the same kind. Each message {from, to} ingests
//     synthetic articles [from, to) through the production ingestor and index (feeds of 500,
//     the answer index caught up after each) and answers with the wall and CPU time it took.
//     The parent runs a memory and a SQLite server side by side and alternates their chunks,
//     so both rates are measured over the same minutes of a shared machine.
//   bot <dir>: start Herald on the built store as the bot does (jobs started, not awaited),
//     answer a first question, then many; print start-to-answer, /ask latency and memory.
// Prints one JSON line (bot) or talks over IPC (ingest).
import { rmSync } from 'node:fs';
import { allCommands } from '../../commands/index.ts';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadConfig } from '../../src/config/load.ts';
import { createLogger } from '../../src/logger.ts';
import { createHerald } from '../../src/app/herald.ts';
import { createArticleIngestor } from '../../src/news/ingest-service.ts';
import type { RawInput } from '../../src/news/pipeline.ts';
import { createSafeFetcher } from '../../src/news/safe-fetch.ts';
import { createSectionClassifier } from '../../src/brief/topics/section-classifier.ts';
import { createStoryTopicTagger } from '../../src/brief/topics/story-topics.ts';
import { loadTaxonomy } from '../../src/brief/topics/taxonomy.ts';
import { syntheticArticle } from '../support/synthetic-news.ts';
import { quietTransport } from '../support/quiet-transport.ts';

const [mode, sizeArg, dir = '.'] = process.argv.slice(2);
const log = createLogger('silent');
const PER_INGEST = 500;
const WARM_UP_ARTICLES = 1_000;

function inputs(from: number, to: number, seed = 1): RawInput[] {
  const out: RawInput[] = [];
  for (let i = from; i < to; i++) {
    const a = syntheticArticle(i, seed);
    out.push({
      kind: 'text',
      body: `${a.title}\n\n${a.paragraphs.join('\n\n')}\n`,
      sourceName: 'Synthetic Wire',
    });
  }
  return out;
}

/** An ingestor on a fresh Herald over the store, as production wires it. */
async function openIngest(
  storeUrl: string,
  seed = 1,
): Promise<{
  run: (from: number, to: number) => Promise<{ ms: number; cpuMs: number }>;
  close: () => Promise<void>;
}> {
  const config = loadConfig({ STORE_URL: storeUrl, LOG_LEVEL: 'silent' });
  const herald = await createHerald(config, { commands: allCommands, transport: quietTransport(), log });
  const taxonomy = loadTaxonomy(config.topics.taxonomyPath);
  const ingestor = createArticleIngestor({
    repository: herald.stories.repository,
    dedup: herald.stories.dedup,
    fetcher: createSafeFetcher({ deadlineMs: 1000, idleTimeoutMs: 1000, maxBytes: 1, maxRedirects: 0 }),
    tagger: createStoryTopicTagger({ classifier: createSectionClassifier(taxonomy), taxonomy }),
    log,
    now: Date.now,
    maxAgeHours: config.ingest.maxAgeHours,
    teaserWords: config.ingest.teaserMaxWords,
  });
  return {
    async run(from, to) {
      const started = performance.now();
      const cpu = process.cpuUsage();
      for (let i = from; i < to; i += PER_INGEST) {
        const report = await ingestor.ingest(inputs(i, Math.min(to, i + PER_INGEST), seed), {
          name: 'Synthetic Wire',
          weight: 1,
          featured: false,
          topics: [],
        });
        if (report.failed.length > 0) throw new Error(report.failed[0]?.message);
        await herald.stories.catchUpIndex();
      }
      const used = process.cpuUsage(cpu);
      return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
    },
    close: () => herald.close(),
  };
}

function gc(): void {
  try {
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
  } catch {
    // memory is read as it is
  }
}

/** A question about one article: its place, subject and the name quoted in it. */
function question(i: number): string {
  const a = syntheticArticle(i);
  const first = a.paragraphs[0]?.split('. ')[0] ?? a.title;
  const words = first.split(' ');
  return `What did ${words.slice(8, 12).join(' ')} say about the ${words.slice(5, 8).join(' ')} in ${words[3] ?? ''}?`;
}

if (mode === 'ingest') {
  const storeUrl = sizeArg ?? 'memory://';
  // Warm-up, not measured: 1,000 other articles into a throwaway store of the same kind, so
  // neither process's rate includes compiling its code paths (a cold process spends the first
  // seconds on that, which was most of a 1,000-article measurement).
  const warmFile = storeUrl.startsWith('sqlite://')
    ? `${storeUrl.slice('sqlite://'.length)}.warm-up`
    : undefined;
  const warm = await openIngest(warmFile ? `sqlite://${warmFile}` : 'memory://', 2);
  await warm.run(0, WARM_UP_ARTICLES);
  await warm.close();
  if (warmFile) for (const suffix of ['', '-wal', '-shm']) rmSync(warmFile + suffix, { force: true });
  const ingest = await openIngest(storeUrl);
  const send = (message: unknown) => process.send?.(message);
  process.on('message', (message: { from: number; to: number } | 'close') => {
    if (message === 'close') {
      void ingest.close().then(() => process.disconnect());
      return;
    }
    ingest.run(message.from, message.to).then(send, (error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  });
  send('ready');
} else if (mode === 'bot') {
  const size = Number(sizeArg);
  const file = path.join(dir, 'herald.sqlite');
  const config = loadConfig({ STORE_URL: `sqlite://${file}`, LOG_LEVEL: 'silent' });
  const herald = await createHerald(config, { commands: allCommands, transport: quietTransport(), log });
  // As the bot: jobs start (first ingest of the configured sources included), interactions
  // are answered meanwhile.
  const jobs = herald.startJobs();
  const ask = (q: string, n: number) =>
    herald.services.ask.ask({ question: q, userId: `u${n}`, guildId: undefined, audience: 'operator' });
  const firstAnswer = await ask(question(size - 1), 0);
  const firstAnswerMs = performance.now();
  await jobs;
  const latencies: number[] = [];
  let found = 0;
  for (let n = 1; n <= 300; n++) {
    const t = performance.now();
    const answer = await ask(question((n * 7919) % size), n);
    latencies.push(performance.now() - t);
    if (answer.found) found++;
  }
  latencies.sort((a, b) => a - b);
  gc();
  await new Promise((resolve) => setTimeout(resolve, 500));
  gc();
  const settledMb = Math.round(process.memoryUsage().rss / 1048576);
  const peakMb = Math.round(process.resourceUsage().maxRSS / 1024);
  await herald.close();
  const q = (p: number) =>
    Math.round((latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0) * 10) / 10;
  console.log(
    JSON.stringify({
      firstAnswerMs: Math.round(firstAnswerMs),
      firstFound: firstAnswer.found,
      p50: q(0.5),
      p99: q(0.99),
      foundPct: Math.round((found / 300) * 100),
      settledMb,
      peakMb,
    }),
  );
} else {
  console.error('usage: _scale-child.ts ingest <store url> | bot <size> <dir>');
  process.exit(2);
}
