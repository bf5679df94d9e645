// `npm run bench -- panel [--json] [--size 100000]`: the web panel on a store of synthetic
// stories (built as the scale bench builds its stores: the _scale-child ingest server, SQLite):
//  - each page's render time, p50 and p95 over 30 requests after 3 warm-ups, measured at the
//    client (a signed-in fetch on loopback), and the p95 over every page;
//  - the bot's settled resident memory with the panel on (and used) beside the same bot with
//    the panel off, in the same run: off, on, off, on, each its own process, so a neighbour's
//    load falls on both alike; the ratio is of the two means.
import { fork, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
  pages: Record<string, { p50: number; p95: number }>;
  allP95: number;
}

function serve(file: string, panel: 'on' | 'off', size: number): ChildResult {
  const result = spawnSync(process.execPath, [...nodeArgs, panelChild, 'serve', file, panel, String(size)], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
  });
  if (result.status !== 0) throw new Error(`panel child (${panel}) failed: ${result.stderr}`);
  const lines = result.stdout.trim().split('\n');
  return JSON.parse(lines.at(-1) ?? '{}') as ChildResult;
}

export async function run(args: string[]): Promise<void> {
  const json = args.includes('--json');
  const sizeArg = args[args.indexOf('--size') + 1];
  const size = args.includes('--size') && sizeArg ? Number(sizeArg) : 100_000;
  const dir = mkdtempSync(path.join(tmpdir(), 'herald-panel-bench-'));
  try {
    const file = path.join(dir, 'herald.sqlite');
    const buildSeconds = await buildStore(file, size);
    const runs = [
      serve(file, 'off', size),
      serve(file, 'on', size),
      serve(file, 'off', size),
      serve(file, 'on', size),
    ];
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
    if (json)
      console.log(
        JSON.stringify({ size, buildSeconds, runs, ratio, p95: Math.max(...on.map((r) => r.allP95)) }),
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
