// `npm run bench -- ingest [--json]`: throughput of the pure ingestion stages (parse, clean,
// identify, prepare, story match/merge) over the bundled sample news and the CNN/DM articles in
// ../shared/eval (each treated as pasted text), plus the story merge's precision and recall on
// tests/fixtures/merge-pairs, and the whole write path into a SQLite store. The whole pure
// pipeline is also timed, in alternating rounds of the same process, as it was at the session
// start (before issue 15's extraction work): a ratio from one run, whatever else the machine does.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadSampleNews } from '../../src/news/sample-news.ts';
import { parseFeed } from '../../src/news/feed-parser.ts';
import { extractArticleFromHtml } from '../../src/news/html-extract.ts';
import { parseScrapedText } from '../../src/news/scraped-text.ts';
import { cleanParagraphs } from '../../src/news/text-clean.ts';
import { articleIdentity, contentHash } from '../../src/news/identity.ts';
import { planStories, prepareArticles } from '../../src/news/pipeline.ts';
import type { PreparedArticle, RawInput } from '../../src/news/pipeline.ts';
import { createStoryMatcher } from '../../src/news/story-merge.ts';
import type { CleanArticle } from '../../src/news/types.ts';
import { evaluateMergePairs, loadMergePairs } from '../support/merge-pairs.ts';
import { openBenchIngestor } from './_store-ingestor.ts';
import { BEFORE_COMMIT, loadBeforePipeline } from './_pipeline-before.ts';
import type { BeforePipeline } from './_pipeline-before.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cnnPath = path.resolve(repoRoot, '../shared/eval/cnn_dailymail/summarization_data.json');

interface Row {
  corpus: string;
  stage: string;
  articles: number;
  seconds: number;
  perSecond: number;
  /** The same stage in the old code, same run, when it was measured. */
  before?: { seconds: number; perSecond: number };
  /**
   * Median process CPU seconds of a round, current and old: on a shared machine a round's wall
   * time also counts the time it waited for a core, CPU time only the work it did.
   */
  cpuSeconds?: { current: number; before: number };
}

/** Rounds the whole pipeline is timed in, the current and old code taking turns. */
const ROUNDS = 7;

function time<T>(fn: () => T): { value: T; seconds: number; cpuSeconds: number } {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const value = fn();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  return { value, seconds, cpuSeconds: (used.user + used.system) / 1e6 };
}

function row(corpus: string, stage: string, articles: number, seconds: number): Row {
  return {
    corpus,
    stage,
    articles,
    seconds: Number(seconds.toFixed(3)),
    perSecond: Math.round(articles / Math.max(seconds, 1e-9)),
  };
}

function parseOne(input: RawInput): CleanArticle[] {
  if (input.kind === 'feed')
    return parseFeed(input.body).items.map((item) => ({
      title: item.title,
      paragraphs: [item.contentHtml ?? item.summaryHtml ?? ''],
    }));
  if (input.kind === 'html') return [extractArticleFromHtml(input.body, input.url)];
  return [parseScrapedText(input.body)];
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/**
 * The whole pipeline over `inputs` repeated `repeat` times, split into ROUNDS rounds; with the
 * old code, each round times both, taking turns at going first so neither always runs on the
 * other's garbage. Each side gets a warm-up pass first. The row is one round's articles at the
 * median round time.
 */
function measurePrepare(
  corpus: string,
  inputs: RawInput[],
  repeat: number,
  before: BeforePipeline | undefined,
): Row {
  const perRound = Array.from({ length: Math.max(1, Math.round(repeat / ROUNDS)) }, () => inputs).flat();
  const current = (): number => {
    const result = prepareArticles(perRound);
    return result.articles.length + result.skipped.length;
  };
  const old = before ? (): number => before.prepare(perRound) : undefined;
  current();
  old?.();
  const times: { current: number[]; before: number[] } = { current: [], before: [] };
  const cpu: { current: number[]; before: number[] } = { current: [], before: [] };
  let articles = 0;
  let beforeArticles = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const runCurrent = (): void => {
      const timed = time(current);
      articles = timed.value;
      times.current.push(timed.seconds);
      cpu.current.push(timed.cpuSeconds);
    };
    const runBefore = (): void => {
      if (!old) return;
      const timed = time(old);
      beforeArticles = timed.value;
      times.before.push(timed.seconds);
      cpu.before.push(timed.cpuSeconds);
    };
    if (round % 2 === 0) {
      runCurrent();
      runBefore();
    } else {
      runBefore();
      runCurrent();
    }
  }
  const result = row(
    corpus,
    `prepare (whole pipeline, median of ${ROUNDS})`,
    articles,
    median(times.current),
  );
  if (old) {
    const seconds = median(times.before);
    result.before = {
      seconds: Number(seconds.toFixed(3)),
      perSecond: Math.round(beforeArticles / Math.max(seconds, 1e-9)),
    };
    result.cpuSeconds = {
      current: Number(median(cpu.current).toFixed(3)),
      before: Number(median(cpu.before).toFixed(3)),
    };
  }
  return result;
}

/** Times each stage over `inputs` repeated `repeat` times. */
function measureCorpus(
  corpus: string,
  inputs: RawInput[],
  repeat: number,
  before: BeforePipeline | undefined,
): { rows: Row[]; prepared: PreparedArticle[] } {
  const batch = Array.from({ length: repeat }, () => inputs).flat();
  const parsed = time(() => batch.flatMap(parseOne));
  const articles = parsed.value;
  const clean = time(() => articles.map((article) => cleanParagraphs(article.paragraphs)));
  const identify = time(() =>
    articles.map((article) => articleIdentity({ contentHash: contentHash(article.paragraphs) })),
  );
  const prepare = measurePrepare(corpus, inputs, repeat, before);
  // Distinct articles for the merge stage: one pass over the corpus, not its repeats.
  const prepared = prepareArticles(inputs).articles;
  const merge = time(() => {
    let decisions = 0;
    for (let i = 0; i < repeat; i++) {
      decisions += planStories(prepared, {
        matcher: createStoryMatcher(),
        findStored: () => undefined,
      }).length;
    }
    return decisions;
  });
  return {
    rows: [
      row(corpus, 'parse (incl. extract+clean)', articles.length, parsed.seconds),
      row(corpus, 'clean pass', articles.length, clean.seconds),
      row(corpus, 'identify (hash+id)', articles.length, identify.seconds),
      prepare,
      row(corpus, 'match+merge (fresh index)', merge.value, merge.seconds),
    ],
    prepared,
  };
}

/** Lookups against a 10k-article index built from variants of the corpus (every 4th word altered). */
function measureIndexScale(prepared: PreparedArticle[], size: number): Row[] {
  const matcher = createStoryMatcher();
  const built = time(() => {
    for (let i = 0; i < size; i++) {
      const source = prepared[i % prepared.length];
      if (!source) break;
      const variant = Math.floor(i / prepared.length);
      const paragraphs =
        variant === 0
          ? source.article.paragraphs
          : source.article.paragraphs.map((p) =>
              p
                .split(' ')
                .map((w, j) => (j % 4 === variant % 4 ? `${w}v${variant}` : w))
                .join(' '),
            );
      matcher.add(`s${i}`, { paragraphs });
    }
  });
  let correct = 0;
  const lookups = time(() => {
    prepared.forEach((article, i) => {
      if (matcher.findMatch(article.article)?.storyId === `s${i}`) correct++;
    });
  });
  return [
    row(`index of ${matcher.size}`, 'add to index', matcher.size, built.seconds),
    row(
      `index of ${matcher.size}`,
      `findMatch (${correct}/${prepared.length} found own story)`,
      prepared.length,
      lookups.seconds,
    ),
  ];
}

/**
 * The whole write path into a SQLite file, as the ingest job runs it: prepare, dedup against
 * the store, match/merge, tag topics, write articles and stories through keyv.
 */
async function measureStoreWrites(corpus: string, inputs: RawInput[]): Promise<Row> {
  const bench = await openBenchIngestor('sqlite');
  try {
    const start = process.hrtime.bigint();
    const report = await bench.ingestor.ingest(inputs, {
      name: 'bench',
      weight: 1,
      featured: false,
      topics: [],
    });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return row(
      corpus,
      `full ingest into SQLite (${report.added.length} new, ${report.merged.length} merged)`,
      report.added.length + report.merged.length,
      seconds,
    );
  } finally {
    await bench.close();
  }
}

const CnnDoc = z.array(z.object({ document: z.string() }).loose());

export async function run(args: string[]): Promise<void> {
  const json = args.includes('--json');
  const rows: Row[] = [];

  const loaded = await loadBeforePipeline(repoRoot);
  const before = 'pipeline' in loaded ? loaded.pipeline : undefined;

  const sample = loadSampleNews(path.join(repoRoot, 'config/sample-news'));
  const sampleResult = measureCorpus('sample news x200', sample, 200, before);
  rows.push(...sampleResult.rows);

  let cnnPrepared: PreparedArticle[] = [];
  if (existsSync(cnnPath)) {
    const docs = CnnDoc.parse(JSON.parse(readFileSync(cnnPath, 'utf8')));
    const inputs: RawInput[] = docs.map((doc) => ({
      kind: 'text',
      body: doc.document,
      sourceName: 'CNN/DM',
    }));
    const cnn = measureCorpus(`CNN/DM ${docs.length} x8`, inputs, 8, before);
    rows.push(...cnn.rows);
    cnnPrepared = cnn.prepared;
    rows.push(...measureIndexScale(cnnPrepared, 10_000));
  }
  rows.push(await measureStoreWrites('sample news', sample));
  if (existsSync(cnnPath)) {
    const docs = CnnDoc.parse(JSON.parse(readFileSync(cnnPath, 'utf8')));
    rows.push(
      await measureStoreWrites(
        `CNN/DM ${docs.length}`,
        docs.map((doc) => ({ kind: 'text', body: doc.document, sourceName: 'CNN/DM' })),
      ),
    );
  }

  const merge = evaluateMergePairs(loadMergePairs());

  console.log('ingest throughput (pure pipeline, in memory)');
  console.log(
    `${'corpus'.padEnd(24)} ${'stage'.padEnd(42)} ${'articles'.padStart(8)} ${'seconds'.padStart(8)} ${'art/s'.padStart(9)} ${`${BEFORE_COMMIT} art/s`.padStart(14)} ${'ratio'.padStart(6)} ${'CPU ratio'.padStart(9)}`,
  );
  for (const r of rows) {
    const cpuRatio = r.cpuSeconds
      ? (r.cpuSeconds.before / Math.max(r.cpuSeconds.current, 1e-9)).toFixed(2)
      : '';
    const old = r.before
      ? `${String(r.before.perSecond).padStart(14)} ${(r.perSecond / Math.max(r.before.perSecond, 1)).toFixed(2).padStart(6)} ${cpuRatio.padStart(9)}`
      : '';
    console.log(
      `${r.corpus.padEnd(24)} ${r.stage.padEnd(42)} ${String(r.articles).padStart(8)} ${r.seconds.toFixed(3).padStart(8)} ${String(r.perSecond).padStart(9)} ${old}`.trimEnd(),
    );
  }
  console.log(
    'unavailable' in loaded
      ? `before: not measured, ${loaded.unavailable}`
      : `${BEFORE_COMMIT} art/s: the session start's pipeline (before issue 15's extraction work), loaded from git and timed in the same rounds; ratio = art/s ÷ ${BEFORE_COMMIT} art/s; CPU ratio = the same from the rounds' process CPU time`,
  );
  console.log('');
  console.log(
    `story merge on fixture pairs: ${merge.pairs} pairs (${merge.truePositives + merge.falseNegatives} same, ${merge.falsePositives + merge.trueNegatives} different)`,
  );
  console.log(
    `  precision ${merge.precision.toFixed(3)}  recall ${merge.recall.toFixed(3)}  TP ${merge.truePositives} FP ${merge.falsePositives} FN ${merge.falseNegatives} TN ${merge.trueNegatives}`,
  );
  console.log(
    `  similarity: lowest same-story ${merge.minSameSimilarity.toFixed(3)}, highest different-story ${merge.maxDifferentSimilarity.toFixed(3)} (threshold 0.5)`,
  );
  for (const error of merge.errors) console.log(`  ${error}`);
  if (json) {
    const { errors, ...scores } = merge;
    const baseline =
      'pipeline' in loaded
        ? { commit: BEFORE_COMMIT }
        : { commit: BEFORE_COMMIT, unavailable: loaded.unavailable };
    console.log(JSON.stringify({ bench: 'ingest', baseline, rows, merge: { ...scores, errors } }));
  }
}
