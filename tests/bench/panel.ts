// `npm run bench -- panel [--json] [--size 100000] [--store-cache <dir>] [--heap-snapshot <dir>]`: the web panel on a store of synthetic
// stories (built as the scale bench builds its stores: the _scale-child ingest server, SQLite):
//  - each page's render time, p50 and p95 over 30 requests after 3 warm-ups, measured at the
//    client (a signed-in fetch on loopback from the bench's own process), and the p95 over
//    every page;
//  - the bot's settled resident memory with the panel on (and used) beside the same bot with
//    the panel off, in the same run: off, on, off, on, each its own process, so a neighbour's
//    load falls on both alike; the ratio is of the two means.
import { fork } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const scaleChild = path.join(repoRoot, 'tests/bench/_scale-child.ts');
const panelChild = path.join(repoRoot, 'tests/bench/_panel-child.ts');
const CHUNK = 5_000;

/** `npm start`'s node flags (package.json), so children run as production does. */
function productionNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  return pkg.scripts.start
    .split(/\s+/)
    .filter((arg) => arg.startsWith('--') && !arg.startsWith('--env-file'));
}
const nodeArgs = productionNodeFlags();

/** Synthetic articles into a SQLite store through the scale bench's ingest child. */
async function buildStore(file: string, size: number): Promise<number> {
  const started = performance.now();
  const proc = fork(scaleChild, ['ingest', `sqlite://${file}`], {
    cwd: repoRoot,
    execArgv: nodeArgs,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  let waiting: ((message: unknown) => void) | undefined;
  proc.on('message', (message) => waiting?.(message));
  const reply = () => new Promise<unknown>((resolve) => (waiting = resolve));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', resolve));
  await Promise.race([
    reply(),
    exited.then((code) => Promise.reject(new Error(`ingest child exited ${code}`))),
  ]);
  for (let from = 0; from < size; from += CHUNK) {
    const answer = reply();
    proc.send({ from, to: Math.min(size, from + CHUNK) });
    await answer;
  }
  proc.send('close');
  await exited;
  return Math.round((performance.now() - started) / 1000);
}

interface ChildResult {
  settledMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  pages: Record<string, { p50: number; p95: number }>;
  allP95: number;
}

const ROUNDS = 30;
const WARM_UP = 3;

function quantile(sorted: readonly number[], p: number): number {
  return Math.round((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0) * 10) / 10;
}

/** Every page, signed in, ROUNDS times after WARM_UP, from this (the parent) process. */
async function renderPages(ready: { url: string; link: string; storyId: string; word: string }) {
  const signIn = await fetch(ready.link, { redirect: 'manual' });
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const paths: Record<string, string> = {
    overview: '/g/terminal',
    sources: '/g/terminal/sources',
    feeds: '/g/terminal/feeds',
    'feed preview': '/g/terminal/feeds/preview?topic=business',
    digests: '/g/terminal/digests',
    stories: '/g/terminal/stories',
    'story search': `/g/terminal/stories?q=${encodeURIComponent(ready.word)}`,
    story: `/g/terminal/stories/${encodeURIComponent(ready.storyId)}`,
    charts: '/g/terminal/charts',
    subscriptions: '/g/terminal/subscriptions',
  };
  const pages: Record<string, { p50: number; p95: number }> = {};
  const all: number[] = [];
  for (const [name, url] of Object.entries(paths)) {
    const times: number[] = [];
    for (let i = 0; i < WARM_UP + ROUNDS; i++) {
      const started = performance.now();
      const response = await fetch(`${ready.url}${url}`, { headers: { cookie } });
      await response.text();
      if (response.status !== 200) throw new Error(`${name}: HTTP ${response.status}`);
      if (i >= WARM_UP) times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    all.push(...times);
    pages[name] = { p50: quantile(times, 0.5), p95: quantile(times, 0.95) };
  }
  all.sort((a, b) => a - b);
  return { pages, allP95: quantile(all, 0.95) };
}

async function serve(
  file: string,
  panel: 'on' | 'off',
  size: number,
  snapshotDir: string | undefined,
): Promise<ChildResult> {
  const proc = fork(panelChild, ['serve', file, panel, String(size), ...(snapshotDir ? [snapshotDir] : [])], {
    cwd: repoRoot,
    execArgv: nodeArgs,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const messages: unknown[] = [];
  let wake: (() => void) | undefined;
  proc.on('message', (message) => {
    messages.push(message);
    wake?.();
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const next = async (): Promise<Record<string, unknown>> => {
    while (messages.length === 0) {
      const arrived = new Promise<void>((resolve) => (wake = resolve));
      await Promise.race([
        arrived,
        exited.then(() => Promise.reject(new Error(`panel child (${panel}) exited`))),
      ]);
    }
    return messages.shift() as Record<string, unknown>;
  };
  let rendered = { pages: {} as ChildResult['pages'], allP95: 0 };
  const first = await next();
  if (panel === 'on') {
    rendered = await renderPages(first as { url: string; link: string; storyId: string; word: string });
    proc.send('measure');
  }
  const memory = panel === 'on' ? await next() : first;
  await exited;
  return {
    settledMb: Number(memory.settledMb),
    heapUsedMb: Number(memory.heapUsedMb),
    heapTotalMb: Number(memory.heapTotalMb),
    externalMb: Number(memory.externalMb),
    ...rendered,
  };
}

export async function run(args: string[]): Promise<void> {
  const json = args.includes('--json');
  const sizeArg = args[args.indexOf('--size') + 1];
  const size = args.includes('--size') && sizeArg ? Number(sizeArg) : 100_000;
  // --store-cache <dir>: build the store there once and start each bench from a copy of it
  // (a 100,000-article store takes over half an hour to build on the shared machine).
  const cacheArg = args.includes('--store-cache') ? args[args.indexOf('--store-cache') + 1] : undefined;
  // --heap-snapshot <dir>: each bot writes a heap snapshot there once its memory has settled.
  const snapshotArg = args.includes('--heap-snapshot')
    ? args[args.indexOf('--heap-snapshot') + 1]
    : undefined;
  const dir = mkdtempSync(path.join(tmpdir(), 'herald-panel-bench-'));
  try {
    const file = path.join(dir, 'herald.sqlite');
    let buildSeconds = 0;
    if (cacheArg) {
      const cached = path.join(cacheArg, `panel-${size}.sqlite`);
      if (!existsSync(cached)) {
        mkdirSync(cacheArg, { recursive: true });
        buildSeconds = await buildStore(cached, size);
      }
      copyFileSync(cached, file);
    } else {
      buildSeconds = await buildStore(file, size);
    }
    // A first run, not counted: the first open of a freshly built store brings its indexes up
    // to date once, which would otherwise swell whichever measured run came first.
    await serve(file, 'off', size, undefined);
    const runs: ChildResult[] = [];
    for (const panel of ['off', 'on', 'off', 'on'] as const)
      runs.push(await serve(file, panel, size, snapshotArg));
    const off = runs.filter((_, i) => i % 2 === 0);
    const on = runs.filter((_, i) => i % 2 === 1);
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const offMb = mean(off.map((r) => r.settledMb));
    const onMb = mean(on.map((r) => r.settledMb));
    const ratio = Math.round((onMb / offMb) * 100) / 100;
    const pageNames = Object.keys(on[0]?.pages ?? {});
    console.log(
      `panel: ${size.toLocaleString('en')} synthetic articles, SQLite store (built in ${buildSeconds} s)`,
    );
    console.log('| page | p50 ms (run 1 / run 2) | p95 ms (run 1 / run 2) |');
    console.log('|---|---:|---:|');
    for (const name of pageNames) {
      const [a, b] = on.map((r) => r.pages[name]);
      console.log(`| ${name} | ${a?.p50} / ${b?.p50} | ${a?.p95} / ${b?.p95} |`);
    }
    console.log(`| every page | | ${on.map((r) => r.allP95).join(' / ')} |`);
    console.log('');
    console.log('| bot resident memory, settled | panel off (2 runs) | panel on (2 runs) | on / off |');
    console.log('|---|---:|---:|---:|');
    console.log(
      `| MB | ${off.map((r) => r.settledMb).join(', ')} | ${on.map((r) => r.settledMb).join(', ')} | ${ratio}× |`,
    );
    console.log(
      `| of which V8 heap used / committed, MB | ${off.map((r) => `${r.heapUsedMb} / ${r.heapTotalMb}`).join(', ')} | ${on.map((r) => `${r.heapUsedMb} / ${r.heapTotalMb}`).join(', ')} | |`,
    );
    if (json)
      console.log(
        JSON.stringify({ size, buildSeconds, runs, ratio, p95: Math.max(...on.map((r) => r.allP95)) }),
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
