// `npm run bench -- extract [--json]`: Herald's page extraction and feed reading on real pages
// and feeds nobody on this project wrote (../shared/eval/realworld, read at bench time only),
// with plain Readability 0.6 on the same linkedom DOM in the same run beside it.
//
// - Article-extraction benchmark (181 pages): F1/P/R of 4-word shingles (tests/bench/_shingle-metric.ts)
//   on the dev half (page id's last hex digit even), the test half (odd) and all; pages with no text.
// - Readability's own test pages (94): the title equals the expected headline (the expected title
//   without the site and author names the page declares at its ends: tests/bench/_expected-headline.ts),
//   and, strictly, the expected title.
// - rss-parser's feeds (31): items seen and kept, titles with mojibake or character references,
//   seconds per feed (read as a local file would be: bytes, then charset detection).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { z } from 'zod';
import { extractArticleFromHtml } from '../../src/news/html-extract.ts';
import { parseFeed } from '../../src/news/feed-parser.ts';
import { prepareArticles } from '../../src/news/pipeline.ts';
import type { RawInput } from '../../src/news/pipeline.ts';
import { decodeBody } from '../../src/news/fetch/decode-body.ts';
import { normalizeWhitespace } from '../../src/news/text-clean.ts';
import { declaredNames, expectedHeadline } from './_expected-headline.ts';
import { pageCounts, scoresOf } from './_shingle-metric.ts';
import { openBenchIngestor } from './_store-ingestor.ts';
import type { PageCounts, Scores } from './_shingle-metric.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataRoot = path.resolve(repoRoot, '../shared/eval/realworld');

const GroundTruth = z.record(
  z.string(),
  z.object({ articleBody: z.string(), url: z.string().optional() }).loose(),
);
const Metadata = z
  .object({
    title: z.string().nullable().optional(),
    siteName: z.string().nullable().optional(),
    byline: z.string().nullable().optional(),
  })
  .loose();

const gunzipText = (file: string): string => gunzipSync(readFileSync(file)).toString('utf8');

function seconds<T>(fn: () => T): { value: T; seconds: number } {
  const start = process.hrtime.bigint();
  const value = fn();
  return { value, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

/** What Herald stores for a page: the whole pipeline, so a page skipped as too short has no text. */
function heraldPage(html: string, url?: string): { text: string; title: string } {
  const input: RawInput = { kind: 'html', body: html, sourceName: 'bench' };
  if (url) input.url = url;
  const article = prepareArticles([input]).articles[0]?.article;
  if (!article) return { text: '', title: extractArticleFromHtml(html, url).title };
  const body = article.paragraphs.join('\n');
  return { text: article.dateline ? `${article.dateline} — ${body}` : body, title: article.title };
}

function readabilityPage(html: string): { text: string; title: string } {
  try {
    const { document } = parseHTML(html);
    const result = new Readability(
      document as unknown as ConstructorParameters<typeof Readability>[0],
    ).parse();
    return { text: result?.textContent ?? '', title: normalizeWhitespace(result?.title ?? '') };
  } catch {
    return { text: '', title: '' };
  }
}

interface SystemPages {
  pages: Map<string, PageCounts>;
  empty: string[];
  maxSeconds: number;
}

type SystemName = 'herald' | 'readability';
const SYSTEMS: SystemName[] = ['herald', 'readability'];
const RUN: Record<SystemName, (html: string, url?: string) => { text: string; title: string }> = {
  herald: heraldPage,
  readability: readabilityPage,
};

function benchmarkPages(): Record<SystemName, SystemPages> | undefined {
  const dir = path.join(dataRoot, 'pages/aeb');
  if (!existsSync(dir)) return undefined;
  const truth = GroundTruth.parse(JSON.parse(gunzipText(path.join(dir, 'ground-truth.json.gz'))));
  const out: Record<SystemName, SystemPages> = {
    herald: { pages: new Map(), empty: [], maxSeconds: 0 },
    readability: { pages: new Map(), empty: [], maxSeconds: 0 },
  };
  for (const [id, entry] of Object.entries(truth)) {
    const html = gunzipText(path.join(dir, 'html', `${id}.html.gz`));
    for (const system of SYSTEMS) {
      const { value, seconds: took } = seconds(() => RUN[system](html, entry.url));
      const result = out[system];
      result.pages.set(id, pageCounts(entry.articleBody, value.text));
      if (normalizeWhitespace(value.text) === '') result.empty.push(id);
      result.maxSeconds = Math.max(result.maxSeconds, took);
    }
  }
  return out;
}

const isDev = (id: string): boolean => parseInt(id.slice(-1), 16) % 2 === 0;

function split(pages: Map<string, PageCounts>, keep: (id: string) => boolean): Scores {
  return scoresOf([...pages].filter(([id]) => keep(id)).map(([, counts]) => counts));
}

interface TitleLine {
  herald: number;
  readability: number;
}

interface TitleResult {
  /** Title equals the expected title exactly (site name and all, as Readability keeps it). */
  strict: TitleLine;
  /** Title equals the expected headline: the expected title without the page's declared site and author names. */
  headline: TitleLine;
  pages: number;
  misses: { system: SystemName; page: string; expected: string; got: string }[];
}

function readabilityTitles(): TitleResult | undefined {
  const dir = path.join(dataRoot, 'pages/readability');
  if (!existsSync(dir)) return undefined;
  const result: TitleResult = {
    strict: { herald: 0, readability: 0 },
    headline: { herald: 0, readability: 0 },
    pages: 0,
    misses: [],
  };
  for (const name of readdirSync(dir).sort()) {
    const metadata = Metadata.parse(
      JSON.parse(readFileSync(path.join(dir, name, 'expected-metadata.json'), 'utf8')),
    );
    const expected = normalizeWhitespace(metadata.title ?? '');
    const html = gunzipText(path.join(dir, name, 'source.html.gz'));
    const headline = expectedHeadline(expected, declaredNames(html, metadata));
    result.pages++;
    const herald = heraldPage(html, `http://fakehost/${name}/`).title;
    const readability = readabilityPage(html).title;
    if (herald === expected) result.strict.herald++;
    if (readability === expected) result.strict.readability++;
    if (readability === headline) result.headline.readability++;
    else result.misses.push({ system: 'readability', page: name, expected: headline, got: readability });
    if (herald === headline) result.headline.herald++;
    else result.misses.push({ system: 'herald', page: name, expected: headline, got: herald });
  }
  return result;
}

// Mojibake: U+FFFD, C1 controls (cp1252 bytes read as Latin-1), or UTF-8 sequences read as a
// single-byte charset ("Ã©", "â€™"). Character references left in text: "&#x0024;", "&amp;".
const MOJIBAKE = /\uFFFD|[\u0080-\u009F]|[\u00C2\u00C3][\u00A0-\u00BF]|â€/u;
const CHARACTER_REFERENCE = /&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});/i;

interface FeedRow {
  feed: string;
  seen: number;
  kept: number;
  defects: number;
  /** Read, parse and prepare (the pure pipeline). */
  seconds: number;
  /** The whole ingest (prepare, dedup, story match, topics, writes) into a fresh memory store. */
  memorySeconds: number;
  /** The same into a fresh SQLite file: the difference is the store's own write cost. */
  ingestSeconds: number;
  error?: string;
  example?: string;
}

/** Ingests one body as a feed into a fresh store, as the CLI's `ingest file` would. */
async function ingestSeconds(body: string, name: string, store: 'memory' | 'sqlite'): Promise<number> {
  const bench = await openBenchIngestor(store);
  try {
    const start = process.hrtime.bigint();
    await bench.ingestor.ingest([{ kind: 'feed', body, sourceName: name }], {
      name,
      weight: 1,
      featured: false,
      topics: [],
    });
    return Number(process.hrtime.bigint() - start) / 1e9;
  } finally {
    await bench.close();
  }
}

async function feeds(): Promise<FeedRow[]> {
  const dir = path.join(dataRoot, 'feeds/rss-parser/input');
  if (!existsSync(dir)) return [];
  const rows: FeedRow[] = [];
  for (const file of readdirSync(dir).sort()) {
    const bytes = gunzipSync(readFileSync(path.join(dir, file)));
    const feed = file.replace(/\.gz$/, '');
    const { value, seconds: took } = seconds(() => {
      const body = decodeBody(bytes, undefined);
      return { body, prepared: prepareArticles([{ kind: 'feed', body, sourceName: feed }]) };
    });
    const failure = value.prepared.failures[0];
    if (failure) {
      rows.push({
        feed,
        seen: 0,
        kept: 0,
        defects: 0,
        seconds: took,
        memorySeconds: 0,
        ingestSeconds: 0,
        error: failure.message.slice(0, 60),
      });
      continue;
    }
    const items = parseFeed(value.body).items;
    const bad = items.filter((item) => MOJIBAKE.test(item.title) || CHARACTER_REFERENCE.test(item.title));
    const row: FeedRow = {
      feed,
      seen: items.length,
      kept: value.prepared.articles.length,
      defects: bad.length,
      seconds: took,
      memorySeconds: await ingestSeconds(value.body, feed, 'memory'),
      ingestSeconds: await ingestSeconds(value.body, feed, 'sqlite'),
    };
    if (bad[0]) row.example = bad[0].title.slice(0, 60);
    else if (value.prepared.skipped.length > 0)
      row.example = `skipped: ${[...new Set(value.prepared.skipped.map((skip) => skip.reason))].join(', ')}`;
    rows.push(row);
  }
  return rows;
}

const f3 = (value: number): string => value.toFixed(3);

export async function run(args: string[]): Promise<void> {
  const json = args.includes('--json');
  const verbose = args.includes('--verbose');
  const pages = benchmarkPages();
  const titles = readabilityTitles();
  const feedRows = await feeds();

  const summary: Record<string, unknown> = { bench: 'extract' };
  if (pages) {
    console.log('article-extraction benchmark (4-word shingles; F1 of mean P and mean R)');
    console.log(
      `${'system'.padEnd(22)} ${'half'.padEnd(5)} ${'pages'.padStart(5)} ${'F1'.padStart(6)} ${'P'.padStart(6)} ${'R'.padStart(6)} ${'no text'.padStart(8)}`,
    );
    const halves: [string, (id: string) => boolean][] = [
      ['dev', isDev],
      ['test', (id) => !isDev(id)],
      ['all', () => true],
    ];
    const table: Record<string, Record<string, Scores & { pages: number; empty: number }>> = {};
    for (const system of SYSTEMS) {
      const label = system === 'herald' ? 'Herald' : 'Readability 0.6 plain';
      table[system] = {};
      for (const [half, keep] of halves) {
        const scores = split(pages[system].pages, keep);
        const count = [...pages[system].pages.keys()].filter(keep).length;
        const empty = pages[system].empty.filter(keep).length;
        table[system][half] = { ...scores, pages: count, empty };
        console.log(
          `${label.padEnd(22)} ${half.padEnd(5)} ${String(count).padStart(5)} ${f3(scores.f1).padStart(6)} ${f3(scores.precision).padStart(6)} ${f3(scores.recall).padStart(6)} ${String(empty).padStart(8)}`,
        );
      }
    }
    const lostByHerald = pages.herald.empty.filter((id) => !pages.readability.empty.includes(id));
    console.log(
      `pages where Readability finds text and Herald none: ${lostByHerald.length}; slowest page: Herald ${pages.herald.maxSeconds.toFixed(2)} s, Readability ${pages.readability.maxSeconds.toFixed(2)} s`,
    );
    if (verbose) {
      // Dev half only: the worst pages to look at. The test half is reported, never inspected.
      const worst = [...pages.herald.pages]
        .filter(([id]) => isDev(id))
        .map(([id, c]) => {
          const r = pages.readability.pages.get(id);
          return { id, herald: c.tp, readability: r?.tp ?? 0, fp: c.fp, fn: c.fn };
        })
        .sort((a, b) => a.herald - a.readability - (b.herald - b.readability))
        .slice(0, 15);
      for (const w of worst)
        console.log(
          `  dev ${w.id.slice(0, 12)} herald tp ${f3(w.herald)} (fp ${f3(w.fp)} fn ${f3(w.fn)}) readability tp ${f3(w.readability)}`,
        );
    }
    summary['benchmark'] = {
      ...table,
      lostByHerald: lostByHerald.length,
      maxSeconds: { herald: pages.herald.maxSeconds, readability: pages.readability.maxSeconds },
    };
  }
  if (titles) {
    console.log('');
    console.log(
      `Readability's test pages (${titles.pages}): page title equals …                    Herald  Readability 0.6 plain`,
    );
    console.log(
      `  headline: expected title without its declared site/author names ${String(titles.headline.herald).padStart(6)}  ${String(titles.headline.readability).padStart(6)}`,
    );
    console.log(
      `  strict:   expected title exactly (names kept)                     ${String(titles.strict.herald).padStart(6)}  ${String(titles.strict.readability).padStart(6)}`,
    );
    if (verbose)
      for (const miss of [...titles.misses].sort((a, b) => a.system.localeCompare(b.system)))
        console.log(
          `  ${miss.system} headline miss ${miss.page}: expected "${miss.expected}" got "${miss.got}"`,
        );
    summary['titles'] = { pages: titles.pages, headline: titles.headline, strict: titles.strict };
  }
  if (feedRows.length > 0) {
    console.log('');
    console.log(
      'feeds read as local files (seconds: read+parse+prepare; memory/SQLite: the whole ingest into a fresh store of that kind)',
    );
    console.log(
      `${'feed'.padEnd(30)} ${'seen'.padStart(5)} ${'kept'.padStart(5)} ${'defects'.padStart(8)} ${'seconds'.padStart(8)} ${'memory'.padStart(8)} ${'SQLite'.padStart(8)}  note`,
    );
    for (const row of feedRows) {
      console.log(
        `${row.feed.padEnd(30)} ${String(row.seen).padStart(5)} ${String(row.kept).padStart(5)} ${String(row.defects).padStart(8)} ${row.seconds.toFixed(3).padStart(8)} ${row.memorySeconds.toFixed(3).padStart(8)} ${row.ingestSeconds.toFixed(3).padStart(8)}  ${row.error ?? row.example ?? ''}`,
      );
    }
    const total = (key: 'seen' | 'kept' | 'defects'): number =>
      feedRows.reduce((sum, row) => sum + row[key], 0);
    const slowest = Math.max(...feedRows.map((row) => row.seconds));
    const slowestMemory = Math.max(...feedRows.map((row) => row.memorySeconds));
    const slowestIngest = Math.max(...feedRows.map((row) => row.ingestSeconds));
    console.log(
      `${'all feeds'.padEnd(30)} ${String(total('seen')).padStart(5)} ${String(total('kept')).padStart(5)} ${String(total('defects')).padStart(8)} ${slowest.toFixed(3).padStart(8)} ${slowestMemory.toFixed(3).padStart(8)} ${slowestIngest.toFixed(3).padStart(8)}  (slowest)`,
    );
    summary['feeds'] = {
      seen: total('seen'),
      kept: total('kept'),
      titleDefects: total('defects'),
      slowestSeconds: slowest,
      slowestMemoryIngestSeconds: slowestMemory,
      slowestSqliteIngestSeconds: slowestIngest,
      rows: feedRows,
    };
  }
  if (json) console.log(JSON.stringify(summary));
}
