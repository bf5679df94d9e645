// Real-news shapes through the real ingest job, as a new user meets them: pages saved under
// their hash or a plain file name, article text saved as .txt. What a reader then sees (the
// source line, the age and the rank, the headline) must be what the page or text says.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { allCommands } from '../../commands/index.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createHerald, type Herald } from '../../src/app/herald.ts';
import { createLogger } from '../../src/logger.ts';
import { quietTransport } from '../support/quiet-transport.ts';

let dir: string;
let herald: Herald;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'herald-read-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await herald.close();
});

async function start(sources: unknown[] = []): Promise<void> {
  const file = path.join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({ sources }));
  herald = await createHerald(loadConfig({ STORE_URL: 'memory://', HERALD_CONFIG: file }), {
    commands: allCommands,
    log: createLogger('silent'),
    transport: quietTransport(),
  });
}

const body = (topic: string): string =>
  Array.from(
    { length: 6 },
    (_, i) =>
      `<p>Paragraph ${i + 1} on ${topic}: officials gave details of the plan at a briefing on Thursday, and residents asked how long the work would take and what it would cost.</p>`,
  ).join('');

function page(options: { head: string; title: string; topic: string }): string {
  return `<!doctype html><html><head><title>${options.title}</title>${options.head}</head><body><article><h1>${options.title}</h1>${body(options.topic)}</article></body></html>`;
}

function save(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('a page saved as a file', () => {
  it('shows the site name the page declares, not its file name or hash', async () => {
    await start();
    const hashed = save(
      '5be41c0a7f3d9e21b8c04f6a2d7e9013.html',
      page({
        head: '<meta property="og:site_name" content="Northshore Ledger">',
        title: 'Ferry timetable changes for winter',
        topic: 'the ferry',
      }),
    );
    const plain = save(
      'ledger-2.html',
      page({
        head: '<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Library reopens after roof repairs","publisher":{"@type":"Organization","name":"Valley Courier"}}</script>',
        title: 'Library reopens after roof repairs',
        topic: 'the library',
      }),
    );
    const report = await herald.services.ingest.ingestLocations([hashed, plain]);
    expect(report.added.map((item) => item.source)).toEqual(['Northshore Ledger', 'Valley Courier']);
  });

  it('falls back to the host of the page’s address, never a hash', async () => {
    await start();
    const file = save(
      '9f8e7d6c5b4a39281706f5e4d3c2b1a0.html',
      page({
        head: '<link rel="canonical" href="https://www.harbourtimes.example/news/pier">',
        title: 'Pier reopens after storm damage',
        topic: 'the pier',
      }),
    );
    const report = await herald.services.ingest.ingestLocations([file]);
    expect(report.added.map((item) => item.source)).toEqual(['harbourtimes.example']);
  });

  it('dates the story from the JSON-LD it declares, so it ranks by its age', async () => {
    await start();
    const dated = save(
      'dated.html',
      page({
        head: '<script type="application/ld+json">{"@context":"http://schema.org","@type":"ReportageNewsArticle","datePublished":"2015-07-24T05:36:09+01:00","headline":"Council votes on the new bus lanes"}</script>',
        title: 'Council votes on the new bus lanes',
        topic: 'the bus lanes',
      }),
    );
    const fresh = save(
      'fresh.html',
      page({ head: '', title: 'Tram depot plan goes out to consultation', topic: 'the tram depot' }),
    );
    await herald.services.ingest.ingestLocations([dated, fresh]);
    const ranked = await herald.services.brief.ranked({ audience: 'operator', count: 5 });
    expect(ranked.map((item) => item.story.title)).toEqual([
      'Tram depot plan goes out to consultation',
      'Council votes on the new bus lanes',
    ]);
    expect(ranked[1]?.story.publishedAt).toBe('2015-07-24T04:36:09.000Z');
  });
});

describe('a page from a source an admin configured', () => {
  it('shows the name the admin gave the source, which /feed and /sources also use, over the one the page declares', async () => {
    const folder = mkdtempSync(path.join(dir, 'desk-'));
    writeFileSync(
      path.join(folder, 'pier.html'),
      page({
        head: '<meta property="og:site_name" content="Northshore Ledger">',
        title: 'Pier reopens to walkers after winter repairs',
        topic: 'the pier',
      }),
    );
    await start([{ name: 'Harbour desk', path: folder }]);
    const report = await herald.services.ingest.runAll();
    expect(report.added.map((item) => item.source)).toEqual(['Harbour desk']);
    const [ranked] = await herald.services.brief.ranked({ audience: 'operator', count: 1 });
    expect(ranked?.story.sources.map((source) => source.name)).toEqual(['Harbour desk']);
  });
});

describe('article text saved as .txt', () => {
  it('is titled by its first whole sentence, with the byline kept apart', async () => {
    await start();
    const file = save(
      'quake.txt',
      'By . Helen Marsh . PUBLISHED: . 08:05 EST, 9 May 2013 . | . UPDATED: . 10:40 EST, 9 May 2013 . ' +
        'A magnitude 5.1 earthquake shook towns along the coast early on Thursday, according to seismologists in the U.S. The tremor was felt as far inland as the state capital. ' +
        'No injuries were reported and engineers were checking bridges. '.repeat(6),
    );
    const report = await herald.services.ingest.ingestLocations([file]);
    expect(report.added.map((item) => item.title)).toEqual([
      'A magnitude 5.1 earthquake shook towns along the coast early on Thursday, according to seismologists in the U.S.',
    ]);
  });
});

describe('the bundled sample news', () => {
  it('ranks below any real story once a real source brings news', async () => {
    await start();
    const sampleDir = path.resolve('config/sample-news');
    const sample = await herald.services.ingest.ingestSampleNews(sampleDir);
    expect(sample.added.length).toBeGreaterThan(2);
    const real = save(
      'real.html',
      page({
        head: '<meta property="og:site_name" content="Northshore Ledger">',
        title: 'Harbour dredging contract awarded',
        topic: 'the dredging',
      }),
    );
    await herald.services.ingest.ingestLocations([real]);
    const ranked = await herald.services.brief.ranked({ audience: 'operator', count: 3 });
    expect(ranked[0]?.story.title).toBe('Harbour dredging contract awarded');
    expect(ranked.slice(1).every((item) => item.story.sample === true)).toBe(true);
  });
});

describe('a country named only by its people and cities', () => {
  it('is found by readers who follow the country', async () => {
    await start();
    const file = save(
      'hospital.txt',
      [
        'Syrian health ministry reopens rebuilt children’s hospital in Homs',
        'The children’s hospital in Homs reopened on Sunday, two years after shelling damaged its upper floors and its operating theatres.',
        'Surgeons from Hama will work there until new staff are trained, the ministry said in a statement read on state television.',
        'The hospital has 120 beds, a new surgical wing and a clinic for mothers and newborns, officials said.',
      ].join('\n'),
    );
    await herald.services.ingest.ingestLocations([file]);
    const ranked = await herald.services.brief.ranked({ audience: 'operator', count: 5, topic: 'Syria' });
    expect(ranked.map((item) => item.story.title)).toEqual([
      'Syrian health ministry reopens rebuilt children’s hospital in Homs',
    ]);
  });
});
