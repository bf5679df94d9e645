// `npm run bench -- read [--json]`: what a reader sees of real news (issue 28), today's code
// beside the code at BEFORE_COMMIT loaded from git, in one run on the data in ../shared/eval:
// published dates and site names on the Readability test pages that declare them, headline
// faults and non-names on the 250 CNN/DM articles read as .txt files, summary faults, ROUGE on
// the CNN/DM test half with a paired bootstrap interval, AG News section accuracy, and the
// extraction F1 of the article-extraction benchmark. See docs/reading.md.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import { rouge } from '../../src/brief/rouge.ts';
import { createGazetteer } from '../../src/brief/topics/gazetteer.ts';
import { createSectionClassifier } from '../../src/brief/topics/section-classifier.ts';
import { createStoryTopicTagger } from '../../src/brief/topics/story-topics.ts';
import { loadTaxonomy } from '../../src/brief/topics/taxonomy.ts';
import { readConll } from './_names-conll.ts';
import { parseDeclaredDate } from '../../src/news/page-metadata.ts';
import type { RawInput } from '../../src/news/pipeline.ts';
import { sourceNameFromFile } from '../../src/news/sample-news.ts';
import { pageCounts, scoresOf } from './_shingle-metric.ts';
import { BEFORE_COMMIT, loadBeforeCode, loadTodayCode, type ReadingCode } from './_read-code.ts';
import { headlineFault, isNonName, summaryFault } from './_read-faults.ts';
import { AG_MAPPING, cleanAgText, parseCsv } from './topics.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const evalRoot = path.resolve(repoRoot, '../shared/eval');
const TOP_NAMES = 30;
const BOOTSTRAP_ROUNDS = 2000;

const cnnItems = z.array(z.object({ split: z.string(), document: z.string(), summary: z.string() }));
const readabilityMeta = z
  .object({ siteName: z.string().nullable().optional(), publishedTime: z.string().nullable().optional() })
  .loose();
const groundTruth = z.record(z.string(), z.object({ articleBody: z.string(), url: z.string().optional() }));

const gunzip = (file: string): Buffer => gunzipSync(readFileSync(file));
const squash = (text: string): string => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

interface ReadabilityPage {
  name: string;
  bytes: Buffer;
  siteName: string | undefined;
  publishedTime: string | undefined;
}

function readabilityPages(): ReadabilityPage[] {
  const dir = path.join(evalRoot, 'realworld/pages/readability');
  return readdirSync(dir)
    .sort()
    .map((name) => {
      const meta = readabilityMeta.parse(
        JSON.parse(readFileSync(path.join(dir, name, 'expected-metadata.json'), 'utf8')),
      );
      return {
        name,
        bytes: gunzip(path.join(dir, name, 'source.html.gz')),
        siteName: meta.siteName ?? undefined,
        publishedTime: meta.publishedTime ?? undefined,
      };
    });
}

/** A page read as `npm start -- ingest <name>.html` reads it: its name made from the file name. */
function pageInput(code: ReadingCode, page: ReadabilityPage): RawInput {
  const file = `${page.name}.html`;
  return {
    kind: 'html',
    body: code.decodeBody(page.bytes, undefined),
    sourceName: sourceNameFromFile(file),
    nameIsGuess: true,
  };
}

interface PageResult {
  datesDeclared: number;
  datesRight: number;
  namesDeclared: number;
  /** The shown name is the declared one, or one contains the other ("Spiceworks Inc"). */
  namesShown: number;
  namesExact: number;
  dateMisses: string[];
  nameMisses: string[];
}

function pageFigures(code: ReadingCode, pages: readonly ReadabilityPage[]): PageResult {
  const result: PageResult = {
    datesDeclared: 0,
    datesRight: 0,
    namesDeclared: 0,
    namesShown: 0,
    namesExact: 0,
    dateMisses: [],
    nameMisses: [],
  };
  for (const page of pages) {
    const prepared = code.prepareArticles([pageInput(code, page)]).articles[0];
    if (page.publishedTime) {
      result.datesDeclared++;
      const expected = Date.parse(parseDeclaredDate(page.publishedTime) ?? '');
      const got = Date.parse(prepared?.article.publishedAt ?? '');
      if (Math.abs(expected - got) <= 60_000) result.datesRight++;
      else result.dateMisses.push(page.name);
    }
    if (page.siteName) {
      result.namesDeclared++;
      const shown = squash(prepared?.sourceName ?? '');
      const declared = squash(page.siteName);
      if (shown === declared) result.namesExact++;
      if (shown !== '' && (shown.includes(declared) || declared.includes(shown))) result.namesShown++;
      else result.nameMisses.push(`${page.name}: "${prepared?.sourceName ?? ''}"`);
    }
  }
  return result;
}

interface TextResult {
  headlineFaults: number;
  faultKinds: Record<string, number>;
  topNames: { name: string; stories: number }[];
  nonNames: string[];
  summaryFaults: { quote: number; pronoun: number };
}

async function textFigures(code: ReadingCode, items: readonly { document: string }[]): Promise<TextResult> {
  const faultKinds: Record<string, number> = {};
  const mentions = new Map<string, number>();
  const summaryFaults = { quote: 0, pronoun: 0 };
  for (const item of items) {
    const article = code.parseScrapedText(item.document);
    const fault = headlineFault(article.title, item.document);
    if (fault) faultKinds[fault] = (faultKinds[fault] ?? 0) + 1;
    const tags = code.tagger.tag({ title: article.title, paragraphs: article.paragraphs, sourceTopics: [] });
    for (const name of new Set(tags.entities)) mentions.set(name, (mentions.get(name) ?? 0) + 1);
    const summary = await code.summarizer.summarize({ title: article.title, paragraphs: article.paragraphs });
    const bad = summaryFault(summary.sentences);
    if (bad) summaryFaults[bad]++;
  }
  const topNames = [...mentions]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, TOP_NAMES)
    .map(([name, stories]) => ({ name, stories }));
  return {
    headlineFaults: Object.values(faultKinds).reduce((a, b) => a + b, 0),
    faultKinds,
    topNames,
    nonNames: topNames.filter(({ name }) => isNonName(name)).map(({ name }) => name),
    summaryFaults,
  };
}

interface Triple {
  r1: number;
  r2: number;
  rl: number;
}

/** ROUGE per test item, as the summaries bench scores Herald: 3 sentences, no character budget. */
function rougeScores(code: ReadingCode, items: readonly { document: string; summary: string }[]): Triple[] {
  return items.map((item) => {
    const picked = code.summarizer.pick(
      { title: '', paragraphs: [item.document] },
      { maxSentences: 3, maxChars: Infinity },
    );
    const r = rouge(picked, code.splitSentences(item.summary));
    return { r1: r.rouge1.f1, r2: r.rouge2.f1, rl: r.rougeLsum.f1 };
  });
}

/** A small seeded generator, so the interval is the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mean of today − before and its paired bootstrap 95% interval, in ROUGE points. */
function pairedBootstrap(today: readonly number[], before: readonly number[]): [number, number, number] {
  const diffs = today.map((value, i) => value - (before[i] ?? 0));
  const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);
  const random = seeded(28);
  const means: number[] = [];
  for (let round = 0; round < BOOTSTRAP_ROUNDS; round++) {
    let sum = 0;
    for (let i = 0; i < diffs.length; i++) sum += diffs[Math.floor(random() * diffs.length)] ?? 0;
    means.push(sum / diffs.length);
  }
  means.sort((a, b) => a - b);
  const at = (q: number): number => (means[Math.floor(q * (means.length - 1))] ?? 0) * 100;
  return [mean(diffs) * 100, at(0.025), at(0.975)];
}

const AG_CLASSES = ['World', 'Sports', 'Business', 'Sci/Tech'];

function agAccuracy(code: ReadingCode, rows: readonly string[][]): number {
  let correct = 0;
  for (const [label, title, body] of rows) {
    const top = code.classifier.scores({ title: cleanAgText(title ?? ''), text: cleanAgText(body ?? '') })[0];
    const predicted = AG_CLASSES.indexOf(top ? (AG_MAPPING[top.key] ?? 'World') : 'World');
    if (predicted === Number(label) - 1) correct++;
  }
  return correct / Math.max(rows.length, 1);
}

/** Extraction F1 on the article-extraction benchmark: all 181 pages and the test half. */
function extractionF1(code: ReadingCode): { all: number; test: number } | undefined {
  const dir = path.join(evalRoot, 'realworld/pages/aeb');
  if (!existsSync(dir)) return undefined;
  const truth = groundTruth.parse(
    JSON.parse(gunzip(path.join(dir, 'ground-truth.json.gz')).toString('utf8')),
  );
  const all = [];
  const test = [];
  for (const [id, entry] of Object.entries(truth)) {
    const html = gunzip(path.join(dir, 'html', `${id}.html.gz`)).toString('utf8');
    const input: RawInput = { kind: 'html', body: html, sourceName: 'bench' };
    if (entry.url) input.url = entry.url;
    const article = code.prepareArticles([input]).articles[0]?.article;
    const body = article?.paragraphs.join('\n') ?? '';
    const text = article?.dateline ? `${article.dateline} — ${body}` : body;
    const counts = pageCounts(entry.articleBody, text);
    all.push(counts);
    if (parseInt(id.slice(-1), 16) % 2 === 1) test.push(counts);
  }
  return { all: scoresOf(all).f1, test: scoresOf(test).f1 };
}

interface CountryPrecision {
  documents: number;
  derived: number;
  unsupported: number;
  examples: string[];
}

/**
 * Countries today's tagger adds from demonyms and cities on CoNLL-2003 testb, and how many of
 * them no gold place or demonym of the document supports (a gold LOC that is the country or one
 * of its places, or a gold MISC that is one of its people).
 */
function countryPrecision(): CountryPrecision | undefined {
  const file = path.join(evalRoot, 'conll2003/eng.testb.gz');
  if (!existsSync(file)) return undefined;
  const taxonomy = loadTaxonomy(path.join(repoRoot, 'config/topics.json'));
  const classifier = createSectionClassifier(taxonomy);
  const gazetteer = createGazetteer();
  const plain = createStoryTopicTagger({ classifier, taxonomy });
  const withCountries = createStoryTopicTagger({ classifier, taxonomy, gazetteer });
  const result: CountryPrecision = { documents: 0, derived: 0, unsupported: 0, examples: [] };
  for (const doc of readConll(file)) {
    result.documents++;
    const input = { title: doc.title, paragraphs: doc.paragraphs, sourceTopics: [] };
    const had = new Set(plain.tag(input).entities);
    // A name the plain tagger gave under another spelling ("USA" shown as "United States") is
    // renamed, not derived.
    const derived = withCountries
      .tag(input)
      .names.filter(({ name, aliases }) => !had.has(name) && !aliases.some((alias) => had.has(alias)))
      .map(({ name }) => name);
    if (derived.length === 0) continue;
    const gold = doc.gold.filter((g) => g.type === 'LOC' || g.type === 'MISC').map((g) => g.name);
    const goldPlaces = doc.gold.filter((g) => g.type === 'LOC').map((g) => g.name);
    const supported = new Set([
      ...goldPlaces.map(squash),
      ...gazetteer.countriesOf({ text: gold.join('\n'), places: goldPlaces }).map(squash),
    ]);
    for (const country of derived) {
      result.derived++;
      if (supported.has(squash(country))) continue;
      result.unsupported++;
      if (result.examples.length < 8) result.examples.push(`${country} in "${doc.title.slice(0, 40)}"`);
    }
  }
  return result;
}

interface Figures {
  pages: PageResult;
  text: TextResult;
  rouge: Triple[];
  agAccuracy: number;
  extraction: { all: number; test: number } | undefined;
}

async function figuresOf(code: ReadingCode): Promise<Figures> {
  const items = cnnItems.parse(
    JSON.parse(readFileSync(path.join(evalRoot, 'cnn_dailymail/summarization_data.json'), 'utf8')),
  );
  const agRows = parseCsv(readFileSync(path.join(evalRoot, 'ag_news/test.csv'), 'utf8')).filter(
    (row) => row.length === 3,
  );
  return {
    pages: pageFigures(code, readabilityPages()),
    text: await textFigures(code, items),
    rouge: rougeScores(
      code,
      items.filter((item) => item.split === 'test'),
    ),
    agAccuracy: agAccuracy(code, agRows),
    extraction: extractionF1(code),
  };
}

const pct = (x: number): string => (x * 100).toFixed(2);
const meanOf = (xs: readonly Triple[], key: keyof Triple): number =>
  xs.reduce((a, x) => a + x[key], 0) / Math.max(xs.length, 1);

export async function run(args: string[]): Promise<void> {
  const json = args.includes('--json');
  const today = await figuresOf(await loadTodayCode(repoRoot));
  const beforeCode = await loadBeforeCode(repoRoot);
  if ('unavailable' in beforeCode) console.log(`before: ${beforeCode.unavailable}`);
  const before = 'unavailable' in beforeCode ? undefined : await figuresOf(beforeCode);

  const rows: [string, (f: Figures) => string, string][] = [
    [
      'published dates right (±1 min), Readability pages that declare one',
      (f) => `${f.pages.datesRight}/${f.pages.datesDeclared}`,
      '32',
    ],
    [
      'declared site name shown (exact or containing), of pages that declare one',
      (f) => `${f.pages.namesShown}/${f.pages.namesDeclared} (${f.pages.namesExact} exact)`,
      '>= 60',
    ],
    ['headline faults, 250 CNN/DM articles as .txt', (f) => String(f.text.headlineFaults), '0'],
    [`non-names among the ${TOP_NAMES} most mentioned names`, (f) => String(f.text.nonNames.length), '0'],
    [
      'summaries ending on an unattributed quote / opening on a pronoun',
      (f) => `${f.text.summaryFaults.quote} / ${f.text.summaryFaults.pronoun}`,
      '0 / 0',
    ],
    [
      'ROUGE-1/2/Lsum F1 %, CNN/DM test half (n=50)',
      (f) => ['r1', 'r2', 'rl'].map((k) => pct(meanOf(f.rouge, k as keyof Triple))).join(' / '),
      'no worse',
    ],
    ['AG News section accuracy %, 7,600 rows', (f) => pct(f.agAccuracy), 'no worse'],
    [
      'extraction F1, article-extraction benchmark (all 181 / test half)',
      (f) => (f.extraction ? `${f.extraction.all.toFixed(3)} / ${f.extraction.test.toFixed(3)}` : 'no data'),
      'no worse',
    ],
  ];
  const beforeLabel = `before ${BEFORE_COMMIT}`;
  console.log(`${'figure'.padEnd(74)} ${beforeLabel.padStart(16)} ${'today'.padStart(16)}  target`);
  for (const [label, show, target] of rows) {
    console.log(
      `${label.padEnd(74)} ${(before ? show(before) : '-').padStart(16)} ${show(today).padStart(16)}  ${target}`,
    );
  }
  const intervals = before
    ? (['r1', 'r2', 'rl'] as const).map((key) => {
        const [mean, low, high] = pairedBootstrap(
          today.rouge.map((t) => t[key]),
          before.rouge.map((t) => t[key]),
        );
        return { key, mean, low, high };
      })
    : [];
  for (const { key, mean, low, high } of intervals)
    console.log(
      `ROUGE ${key} today − before: ${mean.toFixed(2)} points, paired bootstrap 95% [${low.toFixed(2)}, ${high.toFixed(2)}]`,
    );
  console.log(
    `headline fault kinds: before ${JSON.stringify(before?.text.faultKinds ?? {})}, today ${JSON.stringify(today.text.faultKinds)}`,
  );
  console.log(
    `non-names: before ${JSON.stringify(before?.text.nonNames ?? [])}, today ${JSON.stringify(today.text.nonNames)}`,
  );
  console.log(`top names today: ${today.text.topNames.map((n) => `${n.name} (${n.stories})`).join(', ')}`);
  const countries = countryPrecision();
  if (countries) {
    const precision = countries.derived ? (countries.derived - countries.unsupported) / countries.derived : 1;
    console.log(
      `countries from demonyms and cities, CoNLL-2003 testb (${countries.documents} docs): ${countries.derived} derived, ${countries.unsupported} unsupported by a gold place or demonym, precision ${pct(precision)}% (before: none derived)`,
    );
    if (countries.examples.length) console.log(`unsupported examples: ${countries.examples.join('; ')}`);
  }
  if (today.pages.dateMisses.length) console.log(`date misses today: ${today.pages.dateMisses.join(', ')}`);
  if (today.pages.nameMisses.length)
    console.log(`site-name misses today: ${today.pages.nameMisses.join('; ')}`);
  if (json) {
    const summary = (f: Figures): Record<string, unknown> => ({
      datesRight: f.pages.datesRight,
      datesDeclared: f.pages.datesDeclared,
      namesShown: f.pages.namesShown,
      namesExact: f.pages.namesExact,
      namesDeclared: f.pages.namesDeclared,
      headlineFaults: f.text.headlineFaults,
      nonNames: f.text.nonNames,
      summaryFaults: f.text.summaryFaults,
      rouge: { r1: meanOf(f.rouge, 'r1'), r2: meanOf(f.rouge, 'r2'), rl: meanOf(f.rouge, 'rl') },
      agAccuracy: f.agAccuracy,
      extraction: f.extraction,
    });
    console.log(
      JSON.stringify({
        before: before ? summary(before) : null,
        today: summary(today),
        rougeDifference: intervals,
        countries: countries ?? null,
      }),
    );
  }
}
