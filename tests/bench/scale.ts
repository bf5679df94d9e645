// `npm run bench -- scale [--json] [--sizes 1000,10000,100000]`: Herald at 1,000, 10,000 and
// 100,000 synthetic articles, one child process per size and per measurement (so memory and
// start time are that process's own), each started with `npm start`'s node flags:
//  - ingest articles/s into SQLite, beside the rate into memory (the baseline), over the first
//    10,000 articles: two ingest processes side by side, one per store, taking turns a feed of
//    500 articles at a time (which goes first alternates), so a neighbour's load on the shared
//    machine falls on both alike; each process first ingests 1,000 other articles into a
//    throwaway store of its kind, so neither rate includes a cold start; the rest of a
//    100,000 store is then built by the SQLite process;
//  - the SQLite file's size (store, answer index, dedup index);
//  - the bot: process start to its first /ask answer (jobs started as the bot starts them),
//    /ask p50/p99 over 300 questions, resident memory settled and peak;
//  - the command line: `npm start -- ask "…" --json`, process start to exit (median of 3),
//    beside the same at the smallest size.
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticArticle } from '../support/synthetic-news.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const child = path.join(repoRoot, 'tests/bench/_scale-child.ts');

/**
 * The node flags of `npm start` (package.json), so every child runs as the production process
 * does (the young generation's cap among them). The .env file is left out: the bench sets the
 * children's environment itself.
 */
function productionNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  return pkg.scripts.start
    .split(/\s+/)
    .filter((arg) => arg.startsWith('--') && !arg.startsWith('--env-file'));
}
const nodeArgs = productionNodeFlags();

function runChild(args: string[]): Record<string, number | boolean | undefined> {
  const result = spawnSync(process.execPath, [...nodeArgs, child, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (result.status !== 0) throw new Error(`scale child ${args.join(' ')} failed: ${result.stderr}`);
  const lines = result.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? '{}') as Record<string, number | boolean | undefined>;
}

const BASELINE_ARTICLES = 10_000;
const TURN_ARTICLES = 500;

interface IngestServer {
  run(from: number, to: number): Promise<{ ms: number; cpuMs: number }>;
  close(): Promise<void>;
}

/** An ingest child (_scale-child.ts ingest) on one store, with `npm start`'s node flags. */
async function ingestServer(storeUrl: string): Promise<IngestServer> {
  const proc: ChildProcess = fork(child, ['ingest', storeUrl], {
    cwd: repoRoot,
    execArgv: nodeArgs,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  let waiting: { resolve: (message: unknown) => void; reject: (error: Error) => void } | undefined;
  proc.on('message', (message) => waiting?.resolve(message));
  proc.on('exit', (code) => waiting?.reject(new Error(`ingest child for ${storeUrl} exited with ${code}`)));
  const reply = () => new Promise<unknown>((resolve, reject) => (waiting = { resolve, reject }));
  await reply();
  return {
    async run(from, to) {
      const answer = reply();
      proc.send({ from, to });
      return (await answer) as { ms: number; cpuMs: number };
    },
    close: () =>
      new Promise((resolve) => {
        proc.once('exit', () => resolve());
        proc.send('close');
      }),
  };
}

function fileSize(file: string): number {
  let total = 0;
  for (const suffix of ['', '-wal']) {
    try {
      total += statSync(file + suffix).size;
    } catch {
      // no WAL left after a clean close
    }
  }
  return total;
}

/** Builds the store of one size; the first 10,000 articles into memory too, turn about. */
async function build(size: number, dir: string): Promise<Record<string, number | undefined>> {
  const file = path.join(dir, 'herald.sqlite');
  const baseline = Math.min(size, BASELINE_ARTICLES);
  const memory = await ingestServer('memory://');
  const sqlite = await ingestServer(`sqlite://${file}`);
  const spent = { memory: { ms: 0, cpuMs: 0 }, sqlite: { ms: 0, cpuMs: 0 } };
  for (let from = 0, turn = 0; from < baseline; from += TURN_ARTICLES, turn++) {
    const to = Math.min(baseline, from + TURN_ARTICLES);
    const order = turn % 2 === 0 ? (['memory', 'sqlite'] as const) : (['sqlite', 'memory'] as const);
    for (const store of order) {
      const took = await (store === 'memory' ? memory : sqlite).run(from, to);
      spent[store].ms += took.ms;
      spent[store].cpuMs += took.cpuMs;
    }
  }
  await memory.close();
  const rest = size > baseline ? await sqlite.run(baseline, size) : undefined;
  await sqlite.close();
  const perSecond = (ms: number) => Math.round(baseline / (ms / 1000));
  return {
    memoryRate: perSecond(spent.memory.ms),
    sqliteRate: perSecond(spent.sqlite.ms),
    // On a shared, loaded machine wall time swings with the neighbours; CPU time does less.
    memoryCpuRate: perSecond(spent.memory.cpuMs),
    sqliteCpuRate: perSecond(spent.sqlite.cpuMs),
    rateArticles: baseline,
    buildRate: rest ? Math.round((size - baseline) / (rest.ms / 1000)) : undefined,
    diskMb: Math.round(fileSize(file) / 1048576),
  };
}

/** `npm start -- ask` as an operator runs it: wall time from spawn to exit. */
function cliAsk(dir: string, question: string): number {
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    [...nodeArgs, path.join(repoRoot, 'src/main.ts'), 'ask', question, '--json'],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        STORE_URL: `sqlite://${path.join(dir, 'herald.sqlite')}`,
        LOG_LEVEL: 'silent',
      },
    },
  );
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`ask failed: ${result.stderr}`);
  return ms;
}

export async function run(args: string[]): Promise<void> {
  const json = args.includes('--json');
  const sizesArg = args[args.indexOf('--sizes') + 1];
  const sizes =
    args.includes('--sizes') && sizesArg ? sizesArg.split(',').map(Number) : [1_000, 10_000, 100_000];
  const rows: Record<string, unknown>[] = [];
  for (const size of sizes) {
    const dir = mkdtempSync(path.join(tmpdir(), `herald-scale-${size}-`));
    try {
      const built = await build(size, dir);
      const bot = runChild(['bot', String(size), dir]);
      const a = syntheticArticle(Math.floor(size / 2));
      const question = `What did the ${a.title.split(' ').slice(1, 3).join(' ')} in ${a.title.split(' ')[0] ?? ''} decide?`;
      const cli =
        [cliAsk(dir, question), cliAsk(dir, question), cliAsk(dir, question)].sort((x, y) => x - y)[1] ?? 0;
      rows.push({ size, ...built, ...bot, cliAskMs: Math.round(cli) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const smallestCli = Number(rows[0]?.cliAskMs ?? 0);
  console.log(
    'scale: synthetic articles, SQLite store (node:sqlite), FTS5 answer index, one process per size and measurement',
  );
  console.log(
    '| articles | ingest SQLite / memory, wall (art/s, first ≤10k) | ratio | per CPU-second SQLite / memory | ratio | build rate beyond 10k | file MB | bot: first answer ms | /ask p50 / p99 ms | RSS settled / peak MB | CLI ask ms (× smallest) |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const ratio = Math.round((Number(r.sqliteRate) / Number(r.memoryRate)) * 100);
    const cpuRatio = Math.round((Number(r.sqliteCpuRate) / Number(r.memoryCpuRate)) * 100);
    console.log(
      `| ${Number(r.size).toLocaleString('en')} | ${r.sqliteRate} / ${r.memoryRate} | ${ratio}% | ${r.sqliteCpuRate} / ${r.memoryCpuRate} | ${cpuRatio}% | ${r.buildRate ?? '–'} | ${r.diskMb} | ${r.firstAnswerMs} | ${r.p50} / ${r.p99} | ${r.settledMb} / ${r.peakMb} | ${r.cliAskMs} (${(Number(r.cliAskMs) / smallestCli).toFixed(2)}×) |`,
    );
  }
  if (json) console.log(JSON.stringify({ rows }));
}
