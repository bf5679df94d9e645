// `npm run bench -- hostile [--json]`: hostile inputs that must cost bounded work.
//  1. The extractive summarizer on generated articles of 10 KB, 100 KB and 1 MB, beside
//     Lead-3 on the same text (sentence splitting only) as the same-run baseline: time
//     should grow with the article, not with its square, and 1 MB should take under 2 s.
//  2. `ingest` of a 200 MB file through the real command line (a child process, STORE_URL
//     memory://), beside `ingest` of a 10 KB file in the same run: wall time and peak memory
//     (GNU time's maximum resident set size). Target: refused within 5 s under 300 MB.
import { spawnSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createExtractiveSummarizer } from '../../src/brief/extractive-summarizer.ts';
import { splitSentences } from '../../src/brief/sentences.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PEOPLE = [
  'Helga Moravec',
  'Ana Ruiz',
  'Tomas Brandt',
  'Lena Okafor',
  'Pieter Vos',
  'Mira Castell',
  'Jonas Eide',
];
const PLACES = ['Caldera', 'Ostlund', 'Brightwater', 'Sella', 'Marrow Bay'];

/** A news-like article of about `bytes` characters: names, surnames, numbers, pronouns. */
function article(bytes: number): string[] {
  const paragraphs: string[] = [];
  for (let i = 0, size = 0; size < bytes; i++) {
    const person = PEOPLE[i % PEOPLE.length] ?? '';
    const surname = person.split(' ')[1] ?? '';
    const place = PLACES[(i * 3) % PLACES.length] ?? '';
    const text = `${person} said on day ${i} that the ${place} council ${i % 3 ? 'approved' : 'rejected'} plan ${i} for the port. ${surname} added that ${i * 7} crews would work in district ${i % 40}. He said the vote on budget line ${i % 97} was close.`;
    paragraphs.push(text);
    size += text.length;
  }
  return paragraphs;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function timeMs(work: () => unknown, runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  return median(times);
}

interface CliMeasure {
  seconds: number;
  maxRssMb: number;
  exitCode: number | null;
  line: string;
}

/** Runs `node src/main.ts ingest <file>` under GNU time and reads its wall time and peak RSS. */
function measureIngest(file: string): CliMeasure {
  const result = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      'HERALD_TIME %e %M',
      process.execPath,
      '--disable-warning=ExperimentalWarning',
      path.join(repoRoot, 'src/main.ts'),
      'ingest',
      file,
    ],
    {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        STORE_URL: 'memory://',
        LOG_LEVEL: 'silent',
      },
      encoding: 'utf8',
    },
  );
  const match = /HERALD_TIME ([\d.]+) (\d+)/.exec(result.stderr);
  const line = result.stdout.split('\n').find((l) => l.includes('!')) ?? result.stdout.split('\n')[0] ?? '';
  return {
    seconds: Number(match?.[1] ?? NaN),
    maxRssMb: Math.round(Number(match?.[2] ?? NaN) / 1024),
    exitCode: result.status,
    line: line.trim(),
  };
}

export async function run(args: string[]): Promise<void> {
  const json = args.includes('--json');
  const summarizer = createExtractiveSummarizer();
  const summaryRows = [];
  for (const kb of [10, 100, 1024]) {
    const input = { title: 'Caldera council votes on the port plan', paragraphs: article(kb * 1024) };
    const runs = kb >= 1024 ? 3 : 5;
    // The whole summary as the bot stores it: sentences, key facts and names.
    // A fresh array each run: nothing the summarizer keeps per article carries over.
    const heraldMs = await timeMs(
      () => summarizer.summarize({ ...input, paragraphs: [...input.paragraphs] }),
      runs,
    );
    const lead3Ms = await timeMs(() => input.paragraphs.flatMap((p) => splitSentences(p)).slice(0, 3), runs);
    summaryRows.push({
      kb,
      heraldMs: Math.round(heraldMs),
      lead3Ms: Math.round(lead3Ms),
      heraldMsPerKb: Math.round((heraldMs / kb) * 100) / 100,
    });
  }

  const dir = mkdtempSync(path.join(tmpdir(), 'herald-bench-hostile-'));
  let big: CliMeasure;
  let small: CliMeasure;
  try {
    const bigFile = path.join(dir, 'two-hundred-mb.txt');
    const fd = openSync(bigFile, 'w');
    ftruncateSync(fd, 200 * 1024 * 1024);
    closeSync(fd);
    const smallFile = path.join(dir, 'ten-kb.txt');
    writeFileSync(
      smallFile,
      `Caldera council votes on the port plan\n\n${article(10 * 1024).join('\n\n')}\n`,
    );
    small = measureIngest(smallFile);
    big = measureIngest(bigFile);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  console.log('extractive summary of one generated article (median ms)');
  console.log('size      Herald   Lead-3 (split only)   Herald ms/KB');
  for (const row of summaryRows)
    console.log(
      `${String(row.kb).padEnd(6)}KB ${String(row.heraldMs).padStart(7)} ${String(row.lead3Ms).padStart(9)} ${String(row.heraldMsPerKb).padStart(22)}`,
    );
  console.log('');
  console.log('`ingest <file>` as a child process (STORE_URL=memory://)');
  console.log('file           seconds   peak RSS MB   exit   line');
  console.log(
    `10 KB article  ${String(small.seconds).padStart(7)} ${String(small.maxRssMb).padStart(13)} ${String(small.exitCode).padStart(6)}   ${small.line}`,
  );
  console.log(
    `200 MB file    ${String(big.seconds).padStart(7)} ${String(big.maxRssMb).padStart(13)} ${String(big.exitCode).padStart(6)}   ${big.line}`,
  );
  const oneMb = summaryRows.find((row) => row.kb === 1024);
  console.log(
    `targets: 1 MB summary under 2 s: ${oneMb && oneMb.heraldMs < 2000 ? 'yes' : 'NO'}; 200 MB refused within 5 s under 300 MB: ${big.seconds < 5 && big.maxRssMb < 300 && big.exitCode !== 0 ? 'yes' : 'NO'}`,
  );
  if (json) console.log(JSON.stringify({ bench: 'hostile', summaries: summaryRows, ingest: { small, big } }));
}
