// `node tests/bench/_ask-calibrate.ts [--write] [--label answerable|correct]`: fits the
// answer confidence (src/brief/answer/answer-confidence.ts) on the calibration half of the
// SQuAD 2.0 dev split, and only on it: a logistic regression from the best candidate's
// signals to "this question is answerable and the cited sentence holds its answer". Prints
// the decline curve on the calibration half and the threshold it suggests for
// `ask.minConfidence` (the highest one declining at most TARGET_ANSWERABLE_DECLINED of the
// answerable questions); `--write` stores the weights in confidence-weights.ts. The held-out
// half is never read here.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CONFIDENCE_FEATURES,
  confidenceFeatures,
  FEATURE_DIRECTIONS,
} from '../../src/brief/answer/answer-confidence.ts';
import type { ConfidenceWeights } from '../../src/brief/answer/confidence-weights.ts';
import type { RankedSentence } from '../../src/brief/answer/extractive-answerer.ts';
import { createExtractiveAnswerer, passesGates } from '../../src/brief/answer/extractive-answerer.ts';
import { createMemoryStoryIndex } from '../../src/brief/retrieval/fts-story-index.ts';
import { makeStory } from '../support/ask-stories.ts';
import { containsGold, loadSquad } from './_ask-squad.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const weightsFile = path.join(repoRoot, 'src/brief/answer/confidence-weights.ts');
/** The default threshold may decline at most this share of answerable calibration questions. */
const TARGET_ANSWERABLE_DECLINED = 0.1;

interface Sample {
  best: RankedSentence | undefined;
  answerable: boolean;
  correct: boolean;
}

/**
 * Batch gradient descent on standardized features with a light L2 penalty, each weight kept
 * to its feature's direction (projected after every step).
 */
export function fitLogistic(
  rows: readonly number[][],
  labels: readonly number[],
  directions: readonly number[],
): ConfidenceWeights {
  const n = rows.length;
  const d = rows[0]?.length ?? 0;
  const mean = Array.from({ length: d }, (_, j) => rows.reduce((a, r) => a + (r[j] ?? 0), 0) / n);
  const sd = Array.from({ length: d }, (_, j) => {
    const v = rows.reduce((a, r) => a + ((r[j] ?? 0) - (mean[j] ?? 0)) ** 2, 0) / n;
    return Math.sqrt(v) || 1;
  });
  const x = rows.map((r) => r.map((v, j) => (v - (mean[j] ?? 0)) / (sd[j] ?? 1)));
  const w = new Array<number>(d).fill(0);
  let b = 0;
  const rate = 0.5;
  const l2 = 1e-3;
  for (let step = 0; step < 3000; step++) {
    const gw = new Array<number>(d).fill(0);
    let gb = 0;
    for (let i = 0; i < n; i++) {
      const xi = x[i] ?? [];
      let z = b;
      for (let j = 0; j < d; j++) z += (w[j] ?? 0) * (xi[j] ?? 0);
      const err = 1 / (1 + Math.exp(-z)) - (labels[i] ?? 0);
      gb += err;
      for (let j = 0; j < d; j++) gw[j] = (gw[j] ?? 0) + err * (xi[j] ?? 0);
    }
    b -= (rate * gb) / n;
    for (let j = 0; j < d; j++) {
      const next = (w[j] ?? 0) - rate * ((gw[j] ?? 0) / n + l2 * (w[j] ?? 0));
      w[j] = (directions[j] ?? 1) > 0 ? Math.max(0, next) : Math.min(0, next);
    }
  }
  // Back to raw feature units, so the answerer needs no scaler.
  const weights = w.map((wj, j) => wj / (sd[j] ?? 1));
  const intercept = b - weights.reduce((a, wj, j) => a + wj * (mean[j] ?? 0), 0);
  const round = (v: number): number => Math.round(v * 10_000) / 10_000;
  return { intercept: round(intercept), weights: weights.map(round) };
}

function confidenceOf(model: ConfidenceWeights, best: RankedSentence): number {
  const z = confidenceFeatures(best.signals).reduce(
    (a, v, j) => a + (model.weights[j] ?? 0) * v,
    model.intercept,
  );
  return 1 / (1 + Math.exp(-z));
}

/** Whether the gates alone (asked kind held, specifics present, something asked said) let the best candidate answer. */
function gatesPass(best: RankedSentence | undefined): best is RankedSentence {
  return best !== undefined && passesGates(best);
}

async function main(args: string[]): Promise<void> {
  const label = args.includes('--label') ? args[args.indexOf('--label') + 1] : 'correct';
  const { paragraphs, questions } = loadSquad(repoRoot);
  const index = createMemoryStoryIndex();
  paragraphs.forEach((p, k) => {
    const { story, articles } = makeStory(`p${k}`, p.title, [p.context]);
    index.upsertStory(story, articles);
  });
  const answerer = createExtractiveAnswerer({ index });
  const samples: Sample[] = [];
  for (const q of questions.filter((question) => question.half === 'calibration')) {
    const best = answerer.rank(q.question, { limit: 10 })[0];
    samples.push({
      best,
      answerable: q.answerable,
      correct: q.answerable && containsGold(best?.text, q.gold),
    });
  }
  const answerable = samples.filter((s) => s.answerable).length;
  const top1 = samples.filter((s) => s.correct).length;
  console.log(`calibration half: ${samples.length} questions, ${answerable} answerable`);
  console.log(`  top-1 ranked sentence holds the answer: ${((100 * top1) / answerable).toFixed(1)}%`);

  const kinds = new Map<string, { answerable: number; gated: number }>();
  for (const s of samples.filter((sample) => sample.answerable && sample.best !== undefined)) {
    const kind = s.best?.signals.kind ?? 'none';
    const row = kinds.get(kind) ?? { answerable: 0, gated: 0 };
    row.answerable++;
    if (!gatesPass(s.best)) row.gated++;
    kinds.set(kind, row);
  }
  for (const [kind, row] of kinds)
    console.log(`  ${kind}: ${row.answerable} answerable, ${row.gated} declined by the gates`);
  const gated = samples.filter((s): s is Sample & { best: RankedSentence } => gatesPass(s.best));
  const model = fitLogistic(
    gated.map((s) => confidenceFeatures(s.best.signals)),
    gated.map((s) => ((label === 'answerable' ? s.answerable : s.correct) ? 1 : 0)),
    CONFIDENCE_FEATURES.map((name) => FEATURE_DIRECTIONS[name]),
  );
  console.log(`  fitted on ${gated.length} questions that pass the gates (label: ${label})`);
  CONFIDENCE_FEATURES.forEach((name, j) => console.log(`    ${name.padEnd(20)} ${model.weights[j]}`));
  console.log(`    ${'intercept'.padEnd(20)} ${model.intercept}`);

  console.log('  threshold  answerable declined  unanswerable declined');
  let chosen = 0;
  for (let t = 0; t <= 0.95 + 1e-9; t += 0.05) {
    let da = 0;
    let du = 0;
    for (const s of samples) {
      const declines = !gatesPass(s.best) || confidenceOf(model, s.best) < t;
      if (declines && s.answerable) da++;
      if (declines && !s.answerable) du++;
    }
    const daShare = da / answerable;
    if (daShare <= TARGET_ANSWERABLE_DECLINED) chosen = t;
    console.log(
      `  ${t.toFixed(2).padEnd(9)}  ${(100 * daShare).toFixed(1).padEnd(19)}%  ${((100 * du) / (samples.length - answerable)).toFixed(1)}%`,
    );
  }
  console.log(`  suggested ask.minConfidence: ${chosen.toFixed(2)}`);
  if (args.includes('--write')) {
    const text = `// The fitted weights are written by \`node tests/bench/_ask-calibrate.ts --write\`, from the
// calibration half of the SQuAD 2.0 dev split only. Refit rather than edit by hand.

/** A fitted model: the intercept, then one weight per feature of CONFIDENCE_FEATURES. */
export interface ConfidenceWeights {
  intercept: number;
  weights: readonly number[];
}

export const CONFIDENCE_WEIGHTS: ConfidenceWeights = {
  intercept: ${model.intercept},
  weights: [${model.weights.join(', ')}],
};
`;
    writeFileSync(weightsFile, text);
    // Formatted as the rest of the tree is, so `npm test`'s format check passes.
    execFileSync(path.join(repoRoot, 'node_modules/.bin/prettier'), ['--write', weightsFile], {
      stdio: 'ignore',
    });
    console.log(`  wrote ${path.relative(repoRoot, weightsFile)}`);
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await main(process.argv.slice(2));
}
