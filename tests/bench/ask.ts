// `npm run bench -- ask [--json] [--quick] [--no-windows]`: grounded answers on the held-out
// half of the SQuAD 2.0 dev split (tests/bench/_ask-squad.ts), today's code beside `main` at
// the start of this round (loaded from git, tests/bench/_ask-before.ts) in the same run. Every
// paragraph of both halves becomes one cached article, all in one index, and every held-out
// question is asked against the whole store (no paragraph given). Scored:
//  - answerable questions: does the first cited sentence hold a gold answer (top-1 ranked;
//    and top-1 counting declines as misses), beside a plain minisearch BM25 over sentences;
//  - the decline curve: answerable declined against unanswerable declined over thresholds
//    (`ask.minConfidence`, each code with its own gates and confidence) and its area;
//  - per-question latency at 10,000 articles (sentence order rotated, a bulletin line
//    appended), both codes timed on the same questions, alternating.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { DatabaseSync } from 'node:sqlite';
import MiniSearch from 'minisearch';
import {
  createExtractiveAnswerer,
  DEFAULT_MIN_CONFIDENCE,
  passesGates,
  type RankedSentence,
} from '../../src/brief/answer/extractive-answerer.ts';
import type { StoryIndex } from '../../src/brief/retrieval/story-index.ts';
import { createFtsStoryIndex } from '../../src/brief/retrieval/fts-story-index.ts';
import { openSqliteDatabase, type SqliteDatabase } from '../../src/store/sqlite-database.ts';
import { splitSentences } from '../../src/brief/sentences.ts';
import { makeStory } from '../support/ask-stories.ts';
import { BEFORE_COMMIT, loadBeforeAsk, type BeforeRanked } from './_ask-before.ts';
import { containsGold, loadSquad, type Paragraph, type Question } from './_ask-squad.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tempDir = mkdtempSync(path.join(tmpdir(), 'herald-ask-bench-'));
const databases: SqliteDatabase[] = [];
type IndexFactory = (db: DatabaseSync, options: { windows: boolean }) => StoryIndex;

function buildIndex(
  paragraphs: readonly Paragraph[],
  count: number,
  windows: boolean,
  create: IndexFactory,
): StoryIndex {
  const database = openSqliteDatabase(path.join(tempDir, `index-${count}-${databases.length}.sqlite`));
  databases.push(database);
  const index = create(database.db, { windows });
  // Written as ingest writes: a transaction per batch of stories.
  database.db.exec('BEGIN');
  const base = Date.parse('2025-01-01T00:00:00Z');
  for (let k = 0; k < count; k++) {
    const p = paragraphs[k % paragraphs.length];
    if (p === undefined) continue;
    const copy = Math.floor(k / paragraphs.length);
    let text = p.context;
    if (copy > 0) {
      const sentences = splitSentences(p.context);
      const shift = copy % sentences.length;
      text = [...sentences.slice(shift), ...sentences.slice(0, shift), `Bulletin ${k} of the archive.`].join(
        ' ',
      );
    }
    const { story, articles } = makeStory(`p${k}`, p.title, [text], {
      publishedAt: new Date(base + k * 60_000).toISOString(),
    });
    index.upsertStory(story, articles);
    if (k % 200 === 199) database.db.exec('COMMIT; BEGIN');
  }
  database.db.exec('COMMIT');
  return index;
}

function collectGarbage(): () => void {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    if (typeof gc === 'function') return () => void (gc as () => void)();
  } catch {
    // No gc available: memory is read as is.
  }
  return () => undefined;
}

const pct = (n: number, d: number): number => (d === 0 ? 0 : Math.round((n / d) * 1000) / 10);
function quantile(sorted: readonly number[], q: number): number {
  const value = sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return Math.round(value * 100) / 100;
}

interface CurvePoint {
  threshold: number;
  answerableDeclinedPct: number;
  unanswerableDeclinedPct: number;
}

/**
 * Area under unanswerable-declined against answerable-declined (both 0..1), from (0,0) through
 * the measured points to (1,1): 0.5 is declining at random, 1 is declining exactly the
 * unanswerable questions.
 */
export function curveArea(points: readonly CurvePoint[]): number {
  const xy = [
    [0, 0],
    ...points.map((p) => [p.answerableDeclinedPct / 100, p.unanswerableDeclinedPct / 100]),
    [1, 1],
  ].sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0) || (a[1] ?? 0) - (b[1] ?? 0));
  let area = 0;
  for (let i = 1; i < xy.length; i++) {
    const [x0 = 0, y0 = 0] = xy[i - 1] ?? [];
    const [x1 = 0, y1 = 0] = xy[i] ?? [];
    area += ((x1 - x0) * (y0 + y1)) / 2;
  }
  return Math.round(area * 1000) / 1000;
}

/** Decline counts at each threshold, from a per-question rule. */
function curve<T>(
  rows: ReadonlyArray<{ best: T | undefined; answerable: boolean }>,
  thresholds: readonly number[],
  declines: (best: T | undefined, threshold: number) => boolean,
): CurvePoint[] {
  const answerable = rows.filter((r) => r.answerable).length;
  const unanswerable = rows.length - answerable;
  return thresholds.map((threshold) => {
    let da = 0;
    let du = 0;
    for (const r of rows) {
      if (!declines(r.best, threshold)) continue;
      if (r.answerable) da++;
      else du++;
    }
    return {
      threshold,
      answerableDeclinedPct: pct(da, answerable),
      unanswerableDeclinedPct: pct(du, unanswerable),
    };
  });
}

const THRESHOLDS = Array.from({ length: 20 }, (_, i) => Math.round(i * 5) / 100);
const nowDeclines = (best: RankedSentence | undefined, t: number): boolean =>
  best === undefined || !passesGates(best) || best.confidence < t;
const beforeDeclines = (best: BeforeRanked | undefined, t: number): boolean =>
  best === undefined || !best.passesGates || best.confidence < t;

interface Scored<T> {
  top1Ranked: number;
  top1Cited: number;
  top3: number;
  rows: Array<{ best: T | undefined; answerable: boolean }>;
}

function score<T extends { text: string; answerable: boolean }>(
  questions: readonly Question[],
  rank: (question: string) => T[],
): Scored<T> {
  const out: Scored<T> = { top1Ranked: 0, top1Cited: 0, top3: 0, rows: [] };
  for (const q of questions) {
    const ranked = rank(q.question);
    const best = ranked[0];
    out.rows.push({ best, answerable: q.answerable });
    if (!q.answerable) continue;
    if (containsGold(best?.text, q.gold)) {
      out.top1Ranked++;
      if (best?.answerable === true) out.top1Cited++;
    }
    if (ranked.slice(0, 3).some((r) => containsGold(r.text, q.gold))) out.top3++;
  }
  return out;
}

export async function run(args: string[]): Promise<void> {
  try {
    const report = await runBench(args);
    printReport(report);
    if (args.includes('--json')) console.log(JSON.stringify(report));
  } finally {
    for (const database of databases) database.close();
    rmSync(tempDir, { recursive: true, force: true });
  }
}

async function runBench(args: string[]) {
  const started = performance.now();
  const windows = !args.includes('--no-windows');
  // Latency is timed on every second question (every fifth with --quick) to keep the bench short.
  const scaleSample = args.includes('--quick') ? 5 : 2;
  const { paragraphs, questions: all } = loadSquad(repoRoot);
  const questions = all.filter((q) => q.half === 'held-out');
  const before = await loadBeforeAsk(repoRoot);
  if ('unavailable' in before) console.log(`  (before: ${before.unavailable})`);
  const gc = collectGarbage();

  // Scale first, so the accuracy run's garbage does not inflate resident memory.
  gc();
  const rssBefore = process.memoryUsage().rss;
  let t0 = performance.now();
  const big = buildIndex(paragraphs, 10_000, windows, createFtsStoryIndex);
  const bigBuildMs = performance.now() - t0;
  gc();
  const rssAfter = process.memoryUsage().rss;
  const bigNow = createExtractiveAnswerer({ index: big });
  const bigBefore =
    'ask' in before
      ? before.ask.createAnswerer(buildIndex(paragraphs, 10_000, windows, before.ask.createIndex))
      : undefined;
  const latency = { now: [] as number[], before: [] as number[] };
  const timed = async (answer: () => Promise<unknown> | unknown, into: number[]): Promise<void> => {
    const start = performance.now();
    await answer();
    into.push(performance.now() - start);
  };
  const sampled = questions.filter((_, i) => i % scaleSample === 0);
  for (const [i, q] of sampled.entries()) {
    // Alternating which code goes first, so neither always runs on a warmer cache.
    const runNow = (): Promise<void> => timed(() => bigNow.answer(q.question), latency.now);
    const runBefore = (): Promise<void> =>
      bigBefore === undefined ? Promise.resolve() : timed(() => bigBefore.answer(q.question), latency.before);
    if (i % 2 === 0) {
      await runNow();
      await runBefore();
    } else {
      await runBefore();
      await runNow();
    }
  }
  latency.now.sort((a, b) => a - b);
  latency.before.sort((a, b) => a - b);

  // Accuracy: one article per paragraph, both halves in the store, held-out questions asked.
  t0 = performance.now();
  const index = buildIndex(paragraphs, paragraphs.length, windows, createFtsStoryIndex);
  const smallBuildMs = performance.now() - t0;
  const nowAnswerer = createExtractiveAnswerer({ index });
  const now = score(questions, (q) => nowAnswerer.rank(q, { limit: 3 }));
  const beforeAnswerer =
    'ask' in before
      ? before.ask.createAnswerer(buildIndex(paragraphs, paragraphs.length, windows, before.ask.createIndex))
      : undefined;
  const old =
    beforeAnswerer === undefined ? undefined : score(questions, (q) => beforeAnswerer.rank(q, { limit: 3 }));

  const baseline = new MiniSearch<{ id: number; text: string }>({ fields: ['text'], storeFields: ['text'] });
  baseline.addAll(paragraphs.flatMap((p) => splitSentences(p.context)).map((text, id) => ({ id, text })));
  let baseTop1 = 0;
  const answerableQs = questions.filter((q) => q.answerable);
  for (const q of answerableQs)
    if (containsGold(baseline.search(q.question)[0]?.text as string | undefined, q.gold)) baseTop1++;

  const answerable = answerableQs.length;
  const unanswerable = questions.length - answerable;
  const nowCurve = curve(now.rows, THRESHOLDS, nowDeclines);
  const oldCurve = old === undefined ? [] : curve(old.rows, THRESHOLDS, beforeDeclines);
  const atDefault = curve(now.rows, [DEFAULT_MIN_CONFIDENCE], nowDeclines)[0];
  const oldMin = 'ask' in before ? before.ask.minConfidence : 0;
  const oldAtDefault = old === undefined ? undefined : curve(old.rows, [oldMin], beforeDeclines)[0];
  const mb = (bytes: number): number => Math.round(bytes / 1048576);
  const p99Now = quantile(latency.now, 0.99);
  const p99Before = quantile(latency.before, 0.99);
  const report = {
    half: 'held-out',
    questions: questions.length,
    answerable,
    unanswerable,
    now: {
      top1RankedPct: pct(now.top1Ranked, answerable),
      top1CitedPct: pct(now.top1Cited, answerable),
      top3Pct: pct(now.top3, answerable),
      minConfidence: DEFAULT_MIN_CONFIDENCE,
      atDefault,
      curve: nowCurve,
      curveArea: curveArea(nowCurve),
      latencyP50Ms: quantile(latency.now, 0.5),
      latencyP99Ms: p99Now,
    },
    before:
      old === undefined
        ? undefined
        : {
            commit: BEFORE_COMMIT,
            minConfidence: oldMin,
            top1RankedPct: pct(old.top1Ranked, answerable),
            top1CitedPct: pct(old.top1Cited, answerable),
            top3Pct: pct(old.top3, answerable),
            atDefault: oldAtDefault,
            curve: oldCurve,
            curveArea: curveArea(oldCurve),
            latencyP50Ms: quantile(latency.before, 0.5),
            latencyP99Ms: p99Before,
          },
    baselineTop1Pct: pct(baseTop1, answerable),
    p99Ratio: p99Before > 0 ? Math.round((p99Now / p99Before) * 100) / 100 : undefined,
    scale: {
      articles: 10_000,
      passages: big.size(),
      buildMs: Math.round(bigBuildMs),
      smallBuildMs: Math.round(smallBuildMs),
      rssMb: mb(rssAfter),
      rssGrowthMb: mb(rssAfter - rssBefore),
      latencyQuestions: latency.now.length,
      windows,
    },
  };
  return { ...report, seconds: Math.round((performance.now() - started) / 1000) };
}

function printReport(r: Awaited<ReturnType<typeof runBench>>): void {
  const b = r.before;
  const cell = (v: number | string | undefined, unit = '%'): string =>
    v === undefined ? 'n/a' : `${v}${unit}`;
  const rows: Array<[string, string, string]> = [
    ['Top-1 ranked sentence holds the answer', cell(r.now.top1RankedPct), cell(b?.top1RankedPct)],
    ['Top-1 cited, declines counted as misses', cell(r.now.top1CitedPct), cell(b?.top1CitedPct)],
    ['Top-3 ranked sentences', cell(r.now.top3Pct), cell(b?.top3Pct)],
    [
      'Answerable declined at the default',
      cell(r.now.atDefault?.answerableDeclinedPct),
      cell(b?.atDefault?.answerableDeclinedPct),
    ],
    [
      'Unanswerable declined at the default',
      cell(r.now.atDefault?.unanswerableDeclinedPct),
      cell(b?.atDefault?.unanswerableDeclinedPct),
    ],
    ['Decline curve area (0.5 = chance)', String(r.now.curveArea), cell(b?.curveArea, '')],
    ['Latency at 10,000 articles, p50 (ms)', String(r.now.latencyP50Ms), cell(b?.latencyP50Ms, '')],
    ['Latency at 10,000 articles, p99 (ms)', String(r.now.latencyP99Ms), cell(b?.latencyP99Ms, '')],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(
    `ask: SQuAD 2.0 dev, held-out half (${r.questions} questions, ${r.answerable} answerable; all ${r.scale.articles} / both halves' paragraphs in the store)`,
  );
  console.log(`  ${''.padEnd(width)}  ${'today'.padEnd(8)}  main (${BEFORE_COMMIT})`);
  for (const [k, now, before] of rows) console.log(`  ${k.padEnd(width)}  ${now.padEnd(8)}  ${before}`);
  console.log(`  Baseline minisearch BM25 over sentences, top-1: ${r.baselineTop1Pct}%`);
  console.log(
    `  p99 today / before: ${r.p99Ratio ?? 'n/a'}  (${r.scale.latencyQuestions} questions each, alternating)`,
  );
  console.log(
    `  Index at 10,000 articles: ${r.scale.passages} passages, built in ${r.scale.buildMs} ms, resident ${r.scale.rssMb} MB (+${r.scale.rssGrowthMb} MB)`,
  );
  console.log(`  Decline curve today (ask.minConfidence; default ${r.now.minConfidence}):`);
  console.log('    threshold  answerable declined  unanswerable declined');
  for (const p of r.now.curve)
    console.log(
      `    ${p.threshold.toFixed(2).padEnd(9)}  ${`${p.answerableDeclinedPct}%`.padEnd(19)}  ${p.unanswerableDeclinedPct}%`,
    );
  if (b !== undefined) {
    console.log(`  Decline curve main ${BEFORE_COMMIT} (its ask.minConfidence; default ${b.minConfidence}):`);
    for (const p of b.curve)
      console.log(
        `    ${p.threshold.toFixed(2).padEnd(9)}  ${`${p.answerableDeclinedPct}%`.padEnd(19)}  ${p.unanswerableDeclinedPct}%`,
      );
  }
  console.log(`  Whole bench: ${r.seconds} s`);
}
