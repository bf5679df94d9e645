// `npm run bench -- names [--json]`: the names Herald offers as topics, measured on CoNLL-2003
// English (testa to develop, testb to report; read from ../shared/eval/conll2003 at bench time),
// per document, exact and lenient, per type; beside the tagger as it was before issue 16 and
// compromise (a dev dependency used only here), in the same run. Also: AG News section
// accuracy (the other kind of topic), tagger time per article, and one generated 1 MB article.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nlp from 'compromise';
import { extractEntities } from '../../src/brief/topics/entities.ts';
import { createSectionClassifier } from '../../src/brief/topics/section-classifier.ts';
import { createStoryTopicTagger } from '../../src/brief/topics/story-topics.ts';
import { loadTaxonomy } from '../../src/brief/topics/taxonomy.ts';
import { loadBeforeTagger } from './_names-before.ts';
import {
  badForms,
  readConll,
  scoreSystem,
  type ConllDocument,
  type OfferedName,
  type Prf,
  type SystemScores,
} from './_names-conll.ts';
import { evaluateAgNews } from './topics.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const conllDir = path.resolve(repoRoot, '../shared/eval/conll2003');

interface System {
  label: string;
  offer(doc: ConllDocument): OfferedName[];
}

function compromiseNames(doc: ConllDocument): OfferedName[] {
  const text = [doc.title, ...doc.paragraphs].join('\n\n');
  const parsed = nlp(text);
  const clean = (list: string[]): string[] =>
    list.map((s) => s.trim().replace(/^[("'“]+|[),.;:!?"'”]+$/g, '')).filter((s) => s.length > 0);
  return [
    ...clean(parsed.people().out('array') as string[]).map((name) => ({ name, kind: 'person' as const })),
    ...clean(parsed.places().out('array') as string[]).map((name) => ({ name, kind: 'place' as const })),
    ...clean(parsed.organizations().out('array') as string[]).map((name) => ({
      name,
      kind: 'organization' as const,
    })),
  ];
}

const fmt = (s: Prf): string =>
  `${s.precision.toFixed(1).padStart(5)} ${s.recall.toFixed(1).padStart(5)} ${s.f1.toFixed(1).padStart(5)}`;

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** About `bytes` of news-like text naming thousands of made-up people, organizations and places. */
export function generatedArticle(bytes: number): string[] {
  const random = seeded(16);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const syllables = [
    'ka',
    'lo',
    'mir',
    'den',
    'sa',
    'vo',
    'ri',
    'tan',
    'bel',
    'or',
    'nu',
    'gra',
    'hel',
    'zu',
    'pe',
  ];
  const word = (): string => {
    const w = Array.from({ length: 2 + Math.floor(random() * 2) }, () => pick(syllables)).join('');
    return w[0]?.toUpperCase() + w.slice(1);
  };
  const people = Array.from({ length: 3000 }, () => `${word()} ${word()}`);
  const orgs = Array.from(
    { length: 1500 },
    () => `${word()} ${pick(['Council', 'Bank', 'Party', 'Group', 'University'])}`,
  );
  const paragraphs: string[] = [];
  let size = 0;
  while (size < bytes) {
    const person = pick(people);
    const surname = person.split(' ')[1] ?? person;
    const p =
      `Minister ${person} said the ${pick(orgs)} would meet in ${pick(['Damascus', 'Moscow', 'Paris', 'Nairobi'])} on Tuesday. ` +
      `${surname} told ${pick(people)} that the ${pick(orgs)} had agreed.`;
    paragraphs.push(p);
    size += p.length + 2;
  }
  return paragraphs;
}

export async function run(args: string[]): Promise<void> {
  const json = args.includes('--json');
  const taxonomy = loadTaxonomy(path.join(repoRoot, 'config/topics.json'));
  const classifier = createSectionClassifier(taxonomy);
  const tagger = createStoryTopicTagger({ classifier, taxonomy });
  const before = await loadBeforeTagger(repoRoot, classifier, taxonomy);
  const splits = {
    testa: readConll(path.join(conllDir, 'eng.testa.gz')),
    testb: readConll(path.join(conllDir, 'eng.testb.gz')),
  };
  const systems: System[] = [
    {
      label: "Herald's extractor (extractEntities)",
      offer: (d) => extractEntities([d.title, ...d.paragraphs].join('\n\n')),
    },
    {
      label: "Herald's followable names",
      offer: (d) => tagger.tag({ title: d.title, paragraphs: d.paragraphs, sourceTopics: [] }).names,
    },
    ...(before
      ? [
          {
            label: 'before: extractor',
            offer: (d: ConllDocument) => before.extract([d.title, ...d.paragraphs].join('\n\n')),
          },
          {
            label: 'before: followable names',
            offer: (d: ConllDocument) => before.followable(d.title, d.paragraphs),
          },
        ]
      : []),
    { label: 'compromise 14 (people/places/orgs)', offer: compromiseNames },
  ];
  const results: Record<
    string,
    Record<string, SystemScores & { msPerArticle: number; badForms: string[] }>
  > = {};
  for (const [split, docs] of Object.entries(splits)) {
    results[split] = {};
    console.log(
      `\n${split}: ${docs.length} documents, ${docs.reduce((n, d) => n + d.gold.filter((g) => g.type !== 'MISC').length, 0)} gold PER/ORG/LOC names (per document sets; macro P / R / F1)`,
    );
    console.log(
      `${'system'.padEnd(38)} ${'exact P     R    F1'.padEnd(18)}  ${'lenient P   R    F1'.padEnd(18)}  person(len.) F1  place F1  org F1  ms/article`,
    );
    for (const system of systems) {
      const started = performance.now();
      const offered = docs.map((d) => system.offer(d));
      const ms = (performance.now() - started) / docs.length;
      const scores = scoreSystem(docs, offered);
      const bad = offered.flatMap((o, i) => badForms(o, docs[i] as ConllDocument));
      results[split][system.label] = { ...scores, msPerArticle: ms, badForms: bad };
      console.log(
        `${system.label.padEnd(38)} ${fmt(scores.all.exact)}  ${fmt(scores.all.lenient)}  ${scores.person.lenient.f1.toFixed(1).padStart(15)}  ${scores.place.lenient.f1.toFixed(1).padStart(8)}  ${scores.organization.lenient.f1.toFixed(1).padStart(6)}  ${ms.toFixed(2).padStart(10)}`,
      );
    }
    for (const system of systems.filter((x) => !x.label.startsWith('compromise'))) {
      const bad = results[split][system.label]?.badForms ?? [];
      console.log(
        `${system.label}: ${bad.length} possessive/weekday/month/headline-capitals strings${bad.length ? `: ${[...new Set(bad)].slice(0, 20).join(', ')}` : ''}`,
      );
    }
  }
  const followable = results.testb?.["Herald's followable names"];
  if (followable) {
    console.log(
      `\ntestb followable, per type (lenient P / R / F1): person ${fmt(followable.person.lenient)} | place ${fmt(followable.place.lenient)} | organization ${fmt(followable.organization.lenient)}`,
    );
  }

  const big = generatedArticle(1_000_000);
  const bigStarted = performance.now();
  const bigNames = tagger.tag({ title: 'Ministers meet', paragraphs: big, sourceTopics: [] }).names.length;
  const bigMs = performance.now() - bigStarted;
  let beforeBigMs: number | undefined;
  // The old merge is all-pairs; it is timed on a tenth of the article so the bench stays bounded.
  const tenth = big.slice(0, Math.ceil(big.length / 10));
  const tenthStarted = performance.now();
  tagger.tag({ title: 'Ministers meet', paragraphs: tenth, sourceTopics: [] });
  const tenthMs = performance.now() - tenthStarted;
  if (before) {
    const started = performance.now();
    before.followable('Ministers meet', tenth);
    beforeBigMs = performance.now() - started;
  }
  console.log(
    `\ngenerated 1 MB article (${big.length} paragraphs): tagged in ${bigMs.toFixed(0)} ms, ${bigNames} followable names; first 100 KB: ${tenthMs.toFixed(0)} ms now${beforeBigMs === undefined ? '' : `, ${beforeBigMs.toFixed(0)} ms before`}`,
  );

  const ag = evaluateAgNews();
  console.log(
    `AG News section accuracy (offline classifier, ${ag.rows} rows): ${(ag.accuracy * 100).toFixed(2)}%`,
  );

  if (json) {
    console.log(
      JSON.stringify({
        conll: results,
        generated1MB: { ms: bigMs, names: bigNames, first100KBms: tenthMs, first100KBmsBefore: beforeBigMs },
        agNewsAccuracy: ag.accuracy,
      }),
    );
  }
}
