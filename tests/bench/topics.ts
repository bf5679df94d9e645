// `npm run bench -- topics [--json]`: offline section accuracy on AG News (all 7,600 test rows,
// mapped to its four classes) and subscription matching speed (100,000 subscriptions against
// 500 new stories). Nothing here is fitted to the AG News items; they are only read to score.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSectionClassifier } from '../../src/brief/topics/section-classifier.ts';
import { loadTaxonomy } from '../../src/brief/topics/taxonomy.ts';
import { benchMatching, type MatchingResult } from './_topics-matching.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const AG_CLASSES = ['World', 'Sports', 'Business', 'Sci/Tech'] as const;
type AgClass = (typeof AG_CLASSES)[number];

/**
 * How our sections map onto AG News's four classes, decided from what each class is, not
 * from its items: public affairs and general news go to World; the sciences, health and the
 * environment to Sci/Tech. A story with no evidence at all falls back to World, the catch-all.
 */
export const AG_MAPPING: Record<string, AgClass> = {
  world: 'World',
  politics: 'World',
  crime: 'World',
  education: 'World',
  entertainment: 'World',
  sports: 'Sports',
  business: 'Business',
  technology: 'Sci/Tech',
  science: 'Sci/Tech',
  health: 'Sci/Tech',
  climate: 'Sci/Tech',
};

/** RFC 4180 rows: quoted fields, "" for a quote inside one; AG News writes newlines as `\`. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field.length > 0 || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** AG News bodies use a lone backslash (or a literal \n) for a line break, and `#36;` style entities. */
export function cleanAgText(text: string): string {
  return text
    .replace(/\\n|\\/g, ' ')
    .replace(/ #(\d+);/g, (_m, code: string) => ` ${String.fromCharCode(Number(code))}`)
    .replace(/&lt;|&gt;|&amp;|&quot;/g, ' ');
}

interface ClassStats {
  precision: number;
  recall: number;
  accuracy: number;
  support: number;
}

/** Section accuracy of the offline classifier on all AG News test rows (also reported by the names bench). */
export function evaluateAgNews(): {
  accuracy: number;
  perClass: Record<AgClass, ClassStats>;
  confusion: number[][];
  rows: number;
  ms: number;
} {
  const taxonomy = loadTaxonomy(path.join(repoRoot, 'config/topics.json'));
  const classifier = createSectionClassifier(taxonomy);
  const csv = readFileSync(path.resolve(repoRoot, '../shared/eval/ag_news/test.csv'), 'utf8');
  const rows = parseCsv(csv).filter((r) => r.length === 3);
  const confusion = AG_CLASSES.map(() => AG_CLASSES.map(() => 0));
  const started = performance.now();
  let correct = 0;
  for (const [label, title, body] of rows) {
    const gold = Number(label) - 1;
    const top = classifier.scores({ title: cleanAgText(title ?? ''), text: cleanAgText(body ?? '') })[0];
    const predicted = AG_CLASSES.indexOf(top ? (AG_MAPPING[top.key] ?? 'World') : 'World');
    const line = confusion[gold];
    if (!line) throw new Error(`unexpected AG News label ${label}`);
    line[predicted] = (line[predicted] ?? 0) + 1;
    if (gold === predicted) correct++;
  }
  const ms = performance.now() - started;
  const n = rows.length;
  const perClass = {} as Record<AgClass, ClassStats>;
  AG_CLASSES.forEach((name, c) => {
    const tp = confusion[c]?.[c] ?? 0;
    const gold = (confusion[c] ?? []).reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, line) => a + (line[c] ?? 0), 0);
    const tn = n - gold - predicted + tp;
    perClass[name] = {
      precision: round(predicted ? tp / predicted : 0),
      recall: round(gold ? tp / gold : 0),
      accuracy: round((tp + tn) / n),
      support: gold,
    };
  });
  return { accuracy: round(correct / n), perClass, confusion, rows: n, ms };
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}

export async function run(args: string[]): Promise<void> {
  const json = args.includes('--json');
  const ag = evaluateAgNews();
  console.log(`AG News test: ${ag.rows} rows, offline classifier, ${ag.ms.toFixed(0)} ms`);
  console.log(`accuracy ${(ag.accuracy * 100).toFixed(2)}%`);
  console.log('class      precision  recall  accuracy  support');
  for (const name of AG_CLASSES) {
    const s = ag.perClass[name];
    console.log(
      `${name.padEnd(10)} ${s.precision.toFixed(3).padStart(9)}  ${s.recall.toFixed(3).padStart(6)}  ${s.accuracy.toFixed(3).padStart(8)}  ${String(s.support).padStart(7)}`,
    );
  }
  console.log('confusion (rows gold, columns predicted):');
  console.log(`${''.padEnd(10)} ${AG_CLASSES.map((c) => c.padStart(9)).join('')}`);
  ag.confusion.forEach((line, i) =>
    console.log(`${(AG_CLASSES[i] ?? '').padEnd(10)} ${line.map((v) => String(v).padStart(9)).join('')}`),
  );
  console.log('model run: skipped (offline classifier only; the model path is not benchmarked here)');

  const matching: MatchingResult = await benchMatching();
  console.log(
    `\nsubscription matching: ${matching.subscriptions} subscriptions (${matching.users} users), ${matching.stories} stories`,
  );
  console.log(
    `build ${matching.buildMs.toFixed(1)} ms; match median ${matching.matchMedianMs.toFixed(2)} ms over ${matching.runs} runs (min ${matching.matchMinMs.toFixed(2)}, max ${matching.matchMaxMs.toFixed(2)}); ${matching.deliveries} story deliveries to ${matching.matchedUsers} users`,
  );

  if (json) {
    console.log(
      JSON.stringify({ accuracy: ag.accuracy, perClass: ag.perClass, confusion: ag.confusion, matching }),
    );
  }
}
