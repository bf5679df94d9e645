// `node tests/bench/_ask-dev.ts [--verbose] [--json]`: the decline rule on Herald's own
// development set (tests/fixtures/ask-dev), fictional stories with answerable questions and
// unanswerable ones written to look answerable. This is the set the rule is tuned on; SQuAD
// (tests/bench/ask.ts) is only for measuring. The leading underscore keeps it out of `npm run bench`.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { createExtractiveAnswerer } from '../../src/brief/answer/extractive-answerer.ts';
import { createMemoryStoryIndex as createStoryIndex } from '../../src/brief/retrieval/fts-story-index.ts';
import { makeStory } from '../support/ask-stories.ts';

const fixtureDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/ask-dev');

const devSchema = z.object({
  stories: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      paragraphs: z.array(z.string()),
      questions: z.array(z.object({ q: z.string(), answer: z.string().exactOptional() })),
    }),
  ),
});

export interface DevReport {
  answerable: number;
  unanswerable: number;
  top1RankedPct: number;
  top1CitedPct: number;
  declinedUnanswerablePct: number;
  declinedAnswerablePct: number;
}

const pct = (n: number, d: number): number => (d === 0 ? 0 : Math.round((n / d) * 1000) / 10);

/** Runs the dev set through a fresh index and answerer; `log` receives per-question lines. */
export async function evaluateDevSet(log?: (line: string) => void): Promise<DevReport> {
  const stories = readdirSync(fixtureDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => devSchema.parse(JSON.parse(readFileSync(path.join(fixtureDir, f), 'utf8'))).stories);
  const index = createStoryIndex();
  stories.forEach((s, i) => {
    const { story, articles } = makeStory(s.id, s.title, s.paragraphs, {
      publishedAt: new Date(Date.parse('2025-05-01T00:00:00Z') + i * 60_000).toISOString(),
    });
    index.upsertStory(story, articles);
  });
  const answerer = createExtractiveAnswerer({ index });
  let answerable = 0;
  let unanswerable = 0;
  let rankHit = 0;
  let citedHit = 0;
  let declinedA = 0;
  let declinedU = 0;
  for (const story of stories) {
    for (const { q, answer: gold } of story.questions) {
      const result = await answerer.answer(q);
      const best = answerer.rank(q, { limit: 1 })[0];
      const quote = result.citations[0]?.quote ?? '';
      if (gold === undefined) {
        unanswerable++;
        if (!result.found) declinedU++;
        else log?.(`ANSWERED unanswerable: ${q}\n    -> ${quote}`);
        continue;
      }
      answerable++;
      if (best?.text.includes(gold) === true) rankHit++;
      if (result.found && quote.includes(gold)) citedHit++;
      if (!result.found) log?.(`DECLINED answerable: ${q}\n    best: ${best?.text ?? '(none)'}`);
      else if (!quote.includes(gold)) log?.(`WRONG: ${q}\n    -> ${quote}`);
      if (!result.found) declinedA++;
    }
  }
  return {
    answerable,
    unanswerable,
    top1RankedPct: pct(rankHit, answerable),
    top1CitedPct: pct(citedHit, answerable),
    declinedUnanswerablePct: pct(declinedU, unanswerable),
    declinedAnswerablePct: pct(declinedA, answerable),
  };
}

export async function run(args: string[]): Promise<void> {
  const report = await evaluateDevSet(args.includes('--verbose') ? (line) => console.log(line) : undefined);
  console.log(`ask-dev: ${report.answerable} answerable, ${report.unanswerable} unanswerable questions`);
  console.log(`  top-1 ranked sentence holds the answer     ${report.top1RankedPct}%`);
  console.log(`  top-1 cited (declines count as misses)     ${report.top1CitedPct}%`);
  console.log(`  unanswerable declined                      ${report.declinedUnanswerablePct}%`);
  console.log(`  answerable declined                        ${report.declinedAnswerablePct}%`);
  if (args.includes('--json')) console.log(JSON.stringify(report));
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await run(process.argv.slice(2));
}
