// Teasers that share one stock line are different stories: through the real ingest job and
// store, in one feed and across two runs (the second run must not take them as "already stored").
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { allCommands } from '../../commands/index.ts';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { createLogger } from '../../src/logger.ts';
import { createHerald, type Herald } from '../../src/app/herald.ts';
import { quietTransport } from '../support/quiet-transport.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'herald-stock-line-'));
let herald: Herald | undefined;
afterEach(async () => {
  await herald?.close();
  herald = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const STOCK =
  'The Caldera regional assembly meets every Tuesday in the old customs house, and its sessions are open to the public and carried live on local radio.';

function feedFile(name: string, items: { title: string; slug: string }[]): string {
  const file = path.join(dir, name);
  const body = items
    .map(
      (item) =>
        `<item><title>${item.title}</title><link>https://ledger.example/${item.slug}</link><description>${STOCK}</description></item>`,
    )
    .join('');
  writeFileSync(
    file,
    `<?xml version="1.0"?><rss version="2.0"><channel><title>Daily Ledger</title><link>https://ledger.example/</link>${body}</channel></rss>`,
  );
  return file;
}

const stores = [
  { name: 'memory', url: () => 'memory://' },
  {
    name: 'SQLite (the dedup index kept in the file)',
    url: () => `sqlite://${path.join(mkdtempSync(path.join(dir, 'db-')), 'herald.sqlite')}`,
  },
];

describe.each(stores)('teasers sharing a stock line, on $name', ({ url }) => {
  it('are kept as separate stories, in one feed and in a later run', async () => {
    herald = await createHerald(loadConfig({ STORE_URL: url() }), {
      commands: allCommands,
      log: createLogger('silent'),
      transport: quietTransport(),
    });
    const first = await herald.services.ingest.ingestLocations([
      feedFile('first.xml', [
        { title: 'Council approves the harbour budget', slug: 'budget' },
        { title: 'Storm closes coastal road near Caldera', slug: 'storm' },
        { title: 'Museum reopens its textile wing', slug: 'museum' },
      ]),
    ]);
    expect(first.skipped).toEqual([]);
    expect(first.added.map((item) => item.title)).toEqual([
      'Council approves the harbour budget',
      'Storm closes coastal road near Caldera',
      'Museum reopens its textile wing',
    ]);
    const second = await herald.services.ingest.ingestLocations([
      feedFile('second.xml', [{ title: 'Ferry crews vote on the winter timetable', slug: 'ferry' }]),
    ]);
    expect(second.added.map((item) => item.title)).toEqual(['Ferry crews vote on the winter timetable']);
    expect((await herald.services.status.snapshot()).stories).toBe(4);
  });
});

/** A full article (well over the teaser floor) whose one changed word is `variant`. */
function copiesFeed(name: string, from: number, count: number): string {
  const file = path.join(dir, name);
  const paragraph = (variant: number) =>
    `The harbour authority in Caldera said on Monday that the northern breakwater will close for repairs from the first week of spring, after engineers found cracks along a stretch of the old stone wall that shelters the fishing fleet. Repair crews will work in two shifts, and the ferry to the outer islands will use the southern berth while the work goes on, the authority said in statement number ${variant}.`;
  const items = Array.from({ length: count }, (_, i) => {
    const n = from + i;
    return `<item><title>Caldera breakwater to close for repairs</title><link>https://wire.example/copy-${n}</link><content:encoded><![CDATA[<p>${paragraph(n)}</p><p>Fishing crews asked for the closure to wait until the end of the winter season, but the authority said the cracks could not wait.</p>]]></content:encoded></item>`;
  });
  writeFileSync(
    file,
    `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Wire</title><link>https://wire.example/</link>${items.join('')}</channel></rss>`,
  );
  return file;
}

describe.each(stores)('many copies of one story that differ by a word, on $name', ({ url }) => {
  it('stay one story when later copies arrive after more copies than a posting list holds', async () => {
    herald = await createHerald(loadConfig({ STORE_URL: url() }), {
      commands: allCommands,
      log: createLogger('silent'),
      transport: quietTransport(),
    });
    await herald.services.ingest.ingestLocations([copiesFeed('copies-1.xml', 0, 520)]);
    const later = await herald.services.ingest.ingestLocations([copiesFeed('copies-2.xml', 520, 5)]);
    expect(later.added).toEqual([]);
    expect(later.merged).toHaveLength(5);
    expect((await herald.services.status.snapshot()).stories).toBe(1);
  });
});
