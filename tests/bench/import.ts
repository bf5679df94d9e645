// `npm run bench -- import [--json] [--sizes 1000,10000,100000] [--max N]`: `npm start --
// ingest <folder>` of folders of generated distinct articles (the scale bench's), one process
// per size into a fresh SQLite store, run as an operator runs it (`npm start`'s node flags).
// Measured per size: the process's peak resident memory and its CPU time (files per
// CPU-second: wall time swings with the neighbours on a shared machine, CPU time less), then
// the store's story count (`status --json`): every article stored once. The sizes are compared
// within the run: peak memory at the largest against the smallest, the rate at the largest
// against the middle one. --max caps the sizes (a quick run while developing).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSyntheticNews } from '../support/synthetic-news.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const usagePreload = path.join(repoRoot, 'tests/bench/_process-usage.ts');

/** `npm start`'s node flags (package.json), so the process runs as production's does. */
function startFlags(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  return pkg.scripts.start
    .split(/\s+/)
    .filter((arg) => arg.startsWith('--') && !arg.startsWith('--env-file'));
}

interface Measured {
  files: number;
  wallMs: number;
  cpuMs: number;
  maxRssMb: number;
  added: number;
  stories: number;
}

function herald(args: string[], env: Record<string, string>): { stdout: string; usageFile: string } {
  const usageFile = path.join(env.WORK_DIR ?? tmpdir(), 'usage.json');
  const result = spawnSync(
    process.execPath,
    [...startFlags(), '--import', usagePreload, 'src/main.ts', ...args],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        LOG_LEVEL: 'warn',
        ...env,
        HERALD_USAGE_FILE: usageFile,
      },
    },
  );
  if (result.status !== 0)
    throw new Error(`herald ${args[0]} failed (${result.status}): ${result.stderr.slice(-2000)}`);
  return { stdout: result.stdout, usageFile };
}

function lastJson(stdout: string): Record<string, unknown> {
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
}

function measure(size: number): Measured {
  const dir = mkdtempSync(path.join(tmpdir(), `herald-import-${size}-`));
  try {
    const folder = path.join(dir, 'articles');
    writeSyntheticNews(folder, size);
    const env = {
      WORK_DIR: dir,
      STORE_URL: `sqlite://${path.join(dir, 'herald.sqlite')}`,
      ANSWER_INDEX_FILE: path.join(dir, 'answers.sqlite'),
    };
    const started = performance.now();
    const ingest = herald(['ingest', folder, '--json'], env);
    const wallMs = performance.now() - started;
    const usage = JSON.parse(readFileSync(ingest.usageFile, 'utf8')) as { maxRssMb: number; cpuMs: number };
    const report = lastJson(ingest.stdout) as { counts: { added: number } };
    const status = lastJson(herald(['status', '--json'], env).stdout) as { stories: number };
    return {
      files: size,
      wallMs,
      cpuMs: usage.cpuMs,
      maxRssMb: usage.maxRssMb,
      added: report.counts.added,
      stories: status.stories,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(args: string[]): Promise<void> {
  const json = args.includes('--json');
  const option = (name: string): string | undefined =>
    args.includes(name) ? args[args.indexOf(name) + 1] : undefined;
  const max = Number(option('--max') ?? Number.POSITIVE_INFINITY);
  const sizes = (option('--sizes')?.split(',').map(Number) ?? [1_000, 10_000, 100_000]).map((size) =>
    Math.min(size, max),
  );
  const rows = sizes.map((size) => {
    const measured = measure(size);
    return { ...measured, filesPerCpuSecond: Math.round(measured.files / (measured.cpuMs / 1000)) };
  });
  const first = rows[0];
  const last = rows.at(-1);
  const middle = rows.at(-2) ?? first;
  const checks =
    first && last && middle
      ? {
          peakRssVsSmallest: Math.round((last.maxRssMb / first.maxRssMb) * 100) / 100,
          peakRssUnder300Mb: last.maxRssMb <= 300,
          rateVsMiddle: Math.round((last.filesPerCpuSecond / middle.filesPerCpuSecond) * 100) / 100,
          everyArticleOnce: rows.every((row) => row.stories === row.files && row.added === row.files),
        }
      : undefined;
  console.log(
    'import: `npm start -- ingest <folder>` of generated distinct articles, SQLite store, one process per size',
  );
  console.log('| files | wall s | CPU s | files per CPU-second | peak RSS MB | added | stories stored |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    console.log(
      `| ${row.files.toLocaleString('en')} | ${(row.wallMs / 1000).toFixed(1)} | ${(row.cpuMs / 1000).toFixed(1)} | ${row.filesPerCpuSecond} | ${Math.round(row.maxRssMb)} | ${row.added} | ${row.stories} |`,
    );
  }
  if (checks)
    console.log(
      `peak RSS largest/smallest ${checks.peakRssVsSmallest}× (target ≤ 1.3), ≤ 300 MB: ${checks.peakRssUnder300Mb}; rate largest/middle ${checks.rateVsMiddle}× (target ≥ 0.9); every article stored once: ${checks.everyArticleOnce}`,
    );
  if (json) console.log(JSON.stringify({ rows, checks }));
}
