// `ingest` of a large folder streams: files are read, matched and committed in windows, every
// article is stored once, the report keeps its counts whole while its lists stay bounded, and
// progress is told after every window. A rerun finds everything already stored.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { createLogger } from '../../src/logger.ts';
import { allCommands } from '../../commands/index.ts';
import { createHerald } from '../../src/app/herald.ts';
import { FILES_PER_WINDOW } from '../../src/news/folder-windows.ts';
import { REPORT_ITEMS_KEPT, type IngestProgress } from '../../src/news/ingest-job.ts';
import { MAX_TITLE_CHARS } from '../../src/news/pipeline.ts';
import { quietTransport } from '../support/quiet-transport.ts';
import { writeSyntheticNews } from '../support/synthetic-news.ts';

const FILES = REPORT_ITEMS_KEPT + 150;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'herald-bulk-'));
  writeSyntheticNews(path.join(dir, 'archive'), FILES);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a bulk import of a folder', () => {
  it('stores every article once, window by window, with whole counts and bounded lists', async () => {
    const herald = await createHerald(
      loadConfig({ STORE_URL: `sqlite://${path.join(dir, 'herald.sqlite')}`, ANSWER_INDEX_FILE: ':memory:' }),
      { commands: allCommands, log: createLogger('silent'), transport: quietTransport() },
    );
    try {
      const progress: IngestProgress[] = [];
      const report = await herald.services.ingest.ingestLocations([path.join(dir, 'archive')], (step) =>
        progress.push(step),
      );
      expect(report.counts).toEqual({ added: FILES, merged: 0, skipped: 0, failed: 0 });
      expect(report.added).toHaveLength(REPORT_ITEMS_KEPT);
      expect((await herald.services.status.snapshot()).stories).toBe(FILES);

      const windows = progress.filter((step) => !step.done);
      expect(windows.map((step) => step.files)).toEqual([FILES_PER_WINDOW, 2 * FILES_PER_WINDOW, FILES]);
      expect(windows.every((step) => step.totalFiles === FILES)).toBe(true);
      expect(windows.at(-1)?.counts.added).toBe(FILES);
      expect(progress.at(-1)).toMatchObject({ done: true, counts: { added: FILES } });

      const again = await herald.services.ingest.ingestLocations([path.join(dir, 'archive')]);
      expect(again.counts).toEqual({ added: 0, merged: 0, skipped: FILES, failed: 0 });
      expect((await herald.services.status.snapshot()).stories).toBe(FILES);
    } finally {
      await herald.close();
    }
  });

  it('cuts a title of any length before working on it', async () => {
    const herald = await createHerald(loadConfig({ STORE_URL: 'memory://', ANSWER_INDEX_FILE: ':memory:' }), {
      commands: allCommands,
      log: createLogger('silent'),
      transport: quietTransport(),
    });
    try {
      const file = path.join(dir, 'long-title.txt');
      const title = 'Harbour council votes on the new sea wall '.repeat(20_000);
      const body = Array.from(
        { length: 4 },
        (_, i) =>
          `Paragraph ${i}: the council met on Tuesday and voted on the sea wall plan after a long debate.`,
      );
      writeFileSync(file, `${title}\n\n${body.join('\n\n')}\n`);
      const report = await herald.services.ingest.ingestLocations([file]);
      expect(report.counts.added).toBe(1);
      const stored = report.added[0]?.title ?? '';
      expect(stored.length).toBeLessThanOrEqual(MAX_TITLE_CHARS + 1);
      expect(stored.startsWith('Harbour council votes on the new sea wall')).toBe(true);
    } finally {
      await herald.close();
    }
  });
});
