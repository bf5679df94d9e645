// Teasers that share one stock line are different stories: through the real ingest job and
// store, in one feed and across two runs (the second run must not take them as "already stored").
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import type { Herald } from '../../src/herald.ts';
import { createLogger } from '../../src/logger.ts';
import { createHerald } from '../../src/main.ts';
import { quietTransport } from '../support/quiet-transport.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'herald-stock-line-'));
let herald: Herald | undefined;
afterEach(async () => {
  await herald?.close();
  herald = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const STOCK = 'The Caldera regional assembly meets every Tuesday in the old customs house, and its sessions are open to the public and carried live on local radio.';

function feedFile(name: string, items: { title: string; slug: string }[]): string {
  const file = path.join(dir, name);
  const body = items.map((item) => `<item><title>${item.title}</title><link>https://ledger.example/${item.slug}</link><description>${STOCK}</description></item>`).join('');
  writeFileSync(file, `<?xml version="1.0"?><rss version="2.0"><channel><title>Daily Ledger</title><link>https://ledger.example/</link>${body}</channel></rss>`);
  return file;
}

describe('teasers sharing a stock line', () => {
  it('are kept as separate stories, in one feed and in a later run', async () => {
    herald = await createHerald(loadConfig({ STORE_URL: 'memory://' }), { log: createLogger('silent'), transport: quietTransport() });
    const first = await herald.news.job.ingestLocations([
      feedFile('first.xml', [
        { title: 'Council approves the harbour budget', slug: 'budget' },
        { title: 'Storm closes coastal road near Caldera', slug: 'storm' },
        { title: 'Museum reopens its textile wing', slug: 'museum' },
      ]),
    ]);
    expect(first.skipped).toEqual([]);
    expect(first.added.map((item) => item.title)).toEqual(['Council approves the harbour budget', 'Storm closes coastal road near Caldera', 'Museum reopens its textile wing']);
    const second = await herald.news.job.ingestLocations([feedFile('second.xml', [{ title: 'Ferry crews vote on the winter timetable', slug: 'ferry' }])]);
    expect(second.added.map((item) => item.title)).toEqual(['Ferry crews vote on the winter timetable']);
    expect((await herald.services.status.snapshot()).stories).toBe(4);
  });
});
