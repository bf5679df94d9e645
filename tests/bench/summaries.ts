// `npm run bench -- summaries [--json]`: ROUGE-1/2/Lsum F1 of Herald's extractive summarizer
// and of Lead-3 on the same CNN/DM items, with the same sentence splitter and ROUGE code.
// Rows: Herald at 3 sentences with no character budget (the fair comparison with Lead-3),
// Herald as the bot runs it (2–3 sentences within 700 characters), Lead-3, and Lead-3 after
// the same boilerplate filter (so the gain from skipping bylines is visible on its own).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { createExtractiveSummarizer } from '../../src/brief/extractive-summarizer.ts';
import { isBoilerplate } from '../../src/brief/article-text.ts';
import { rouge } from '../../src/brief/rouge.ts';
import { splitSentences } from '../../src/brief/sentences.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataPath = path.resolve(repoRoot, '../shared/eval/cnn_dailymail/summarization_data.json');

const itemsSchema = z.array(z.object({ split: z.string(), document: z.string(), summary: z.string() }));

interface Triple {
  r1: number;
  r2: number;
  rl: number;
}

type System = 'herald' | 'heraldBudget' | 'lead3' | 'lead3Clean';
const SYSTEMS: System[] = ['herald', 'heraldBudget', 'lead3', 'lead3Clean'];
const LABELS: Record<System, string> = {
  herald: 'Herald (3 sentences, no budget)',
  heraldBudget: 'Herald (bot default: <=3, 700 chars)',
  lead3: 'Lead-3',
  lead3Clean: 'Lead-3 minus boilerplate',
};

function mean(xs: Triple[]): Triple {
  const n = Math.max(xs.length, 1);
  const sum = xs.reduce((a, x) => ({ r1: a.r1 + x.r1, r2: a.r2 + x.r2, rl: a.rl + x.rl }), {
    r1: 0,
    r2: 0,
    rl: 0,
  });
  const pct = (v: number): number => Math.round((v / n) * 10000) / 100;
  return { r1: pct(sum.r1), r2: pct(sum.r2), rl: pct(sum.rl) };
}

export async function run(args: string[]): Promise<void> {
  const json = args.includes('--json');
  const items = itemsSchema.parse(JSON.parse(readFileSync(dataPath, 'utf8')));
  const summarizer = createExtractiveSummarizer();
  const scores = new Map<string, Triple[]>();
  const add = (key: string, t: Triple): void => {
    scores.set(key, [...(scores.get(key) ?? []), t]);
  };
  const elapsed: Record<System, number> = { herald: 0, heraldBudget: 0, lead3: 0, lead3Clean: 0 };

  for (const item of items) {
    const input = { title: '', paragraphs: [item.document] };
    const reference = splitSentences(item.summary);
    const produce: Record<System, () => string[] | Promise<string[]>> = {
      herald: () => summarizer.pick(input, { maxSentences: 3, maxChars: Infinity }),
      heraldBudget: async () => (await summarizer.summarize(input)).sentences,
      lead3: () => splitSentences(item.document).slice(0, 3),
      lead3Clean: () =>
        splitSentences(item.document)
          .filter((s) => !isBoilerplate(s))
          .slice(0, 3),
    };
    for (const system of SYSTEMS) {
      const started = performance.now();
      const candidate = await produce[system]();
      elapsed[system] += performance.now() - started;
      const r = rouge(candidate, reference);
      const t = { r1: r.rouge1.f1, r2: r.rouge2.f1, rl: r.rougeLsum.f1 };
      add(`${item.split}:${system}`, t);
      add(`all:${system}`, t);
    }
  }

  const splits = ['test', 'train', 'all'] as const;
  const result: Record<string, Record<string, Triple>> = {};
  for (const split of splits) {
    result[split] = Object.fromEntries(SYSTEMS.map((s) => [s, mean(scores.get(`${split}:${s}`) ?? [])]));
  }
  const counts = Object.fromEntries(splits.map((s) => [s, (scores.get(`${s}:lead3`) ?? []).length]));

  console.log('ROUGE F1 (%), own tokenization (lower-case, no stemming); RL = summary-level ROUGE-Lsum');
  console.log(
    `${'split'.padEnd(6)} ${'system'.padEnd(38)} ${'R-1'.padStart(6)} ${'R-2'.padStart(6)} ${'R-L'.padStart(6)}`,
  );
  for (const split of splits) {
    for (const system of SYSTEMS) {
      const t = result[split]?.[system] ?? { r1: 0, r2: 0, rl: 0 };
      console.log(
        `${split.padEnd(6)} ${`${LABELS[system]} n=${counts[split]}`.padEnd(38)} ${t.r1.toFixed(2).padStart(6)} ${t.r2.toFixed(2).padStart(6)} ${t.rl.toFixed(2).padStart(6)}`,
      );
    }
  }
  for (const system of SYSTEMS) {
    const perSecond = (items.length / Math.max(elapsed[system], 1e-6)) * 1000;
    console.log(`${LABELS[system].padEnd(38)} ${perSecond.toFixed(0)} summaries/s`);
  }
  if (json) {
    const pick = (
      split: string,
    ): { herald: Triple; lead3: Triple; heraldBudget: Triple; lead3Clean: Triple } => ({
      herald: result[split]?.['herald'] ?? { r1: 0, r2: 0, rl: 0 },
      lead3: result[split]?.['lead3'] ?? { r1: 0, r2: 0, rl: 0 },
      heraldBudget: result[split]?.['heraldBudget'] ?? { r1: 0, r2: 0, rl: 0 },
      lead3Clean: result[split]?.['lead3Clean'] ?? { r1: 0, r2: 0, rl: 0 },
    });
    const perSecond = Math.round((items.length / Math.max(elapsed.herald, 1e-6)) * 1000);
    console.log(
      JSON.stringify({
        all: pick('all'),
        test: pick('test'),
        train: pick('train'),
        heraldSummariesPerSecond: perSecond,
      }),
    );
  }
}
