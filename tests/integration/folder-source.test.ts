// A configured folder (`path`) source: its stories show the name the admin gave the source,
// not a name made from each file's name; a file named "outlet--slug" still names its outlet.
// Read on the schedule, a large folder goes through the same windows as `ingest <folder>`.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { allCommands } from '../../commands/index.ts';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { createLogger } from '../../src/logger.ts';
import { createHerald, type Herald } from '../../src/app/herald.ts';
import { FILES_PER_WINDOW } from '../../src/news/folder-windows.ts';
import { REPORT_ITEMS_KEPT } from '../../src/news/ingest-job.ts';
import { quietTransport } from '../support/quiet-transport.ts';
import { writeSyntheticNews } from '../support/synthetic-news.ts';

let dir: string | undefined;
let herald: Herald | undefined;
afterEach(async () => {
  await herald?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  herald = undefined;
  dir = undefined;
});

const SYRIA_JORDAN = [
  'Syria and Jordan sign a power deal',
  'Energy ministers from Damascus and Amman signed an agreement on Tuesday to link the two national grids before the summer peak.',
  'Under the deal, Jordanian plants will export up to 250 megawatts across the northern border each evening.',
  'Engineers expect the first transmission line near Daraa to be repaired within four months.',
  'Households in southern Syria have lived with rolling blackouts of up to twenty hours a day since the winter.',
  'Diplomats said the arrangement had been discussed for two years before regional lenders agreed to pay for the repairs.',
].join('\n\n');
const FERRY_FARES = [
  'Ferry fares rise in the spring',
  'Commuters crossing the harbour will pay a fifth more for a monthly pass from April, the port authority announced.',
  'The authority blamed diesel prices and the cost of refitting two ageing vessels at the western dock.',
  'A student discount survives, but the weekend family ticket is being withdrawn after this season.',
  'Passenger groups collected several thousand signatures against the increase and plan a protest at the terminal.',
  'Council members asked for an audit of the operator before approving another subsidy for the crossing.',
].join('\n\n');

describe('a folder source', () => {
  it('shows the configured name for its stories, and the outlet for files that name one', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'herald-folder-'));
    const news = path.join(dir, 'news');
    mkdirSync(news);
    writeFileSync(path.join(news, 'syria-jordan-power.txt'), SYRIA_JORDAN);
    writeFileSync(path.join(news, 'metro-ledger--ferry-fares.txt'), FERRY_FARES);
    const configFile = path.join(dir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ sources: [{ name: 'Levant Desk', path: news }] }));
    herald = await createHerald(loadConfig({ STORE_URL: 'memory://', HERALD_CONFIG: configFile }), {
      commands: allCommands,
      log: createLogger('silent'),
      transport: quietTransport(),
    });
    const report = await herald.services.ingest.runAll();
    expect(report.added, JSON.stringify(report)).toHaveLength(2);
    const ranked = await herald.services.brief.ranked({
      audience: 'operator',
      count: 10,
      includeBacklog: true,
    });
    const sourcesByTitle = Object.fromEntries(
      ranked.map((r) => [r.story.title, r.story.sources.map((s) => s.name)]),
    );
    expect(sourcesByTitle).toEqual({
      'Syria and Jordan sign a power deal': ['Levant Desk'],
      'Ferry fares rise in the spring': ['Metro Ledger'],
    });
  });

  it('reads a large folder on the schedule in windows: every article stored, counts whole, lists bounded', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'herald-folder-'));
    const news = path.join(dir, 'archive');
    const files = 2 * FILES_PER_WINDOW + 25;
    expect(files).toBeGreaterThan(REPORT_ITEMS_KEPT);
    writeSyntheticNews(news, files);
    const configFile = path.join(dir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ sources: [{ name: 'Archive Desk', path: news }] }));
    herald = await createHerald(
      loadConfig({ STORE_URL: 'memory://', ANSWER_INDEX_FILE: ':memory:', HERALD_CONFIG: configFile }),
      { commands: allCommands, log: createLogger('silent'), transport: quietTransport() },
    );
    const report = await herald.services.ingest.runAll();
    // Read whole, the run's report listed every article; in windows it keeps the first ones.
    expect(report.added).toHaveLength(REPORT_ITEMS_KEPT);
    expect(report.failed).toEqual([]);
    expect((await herald.services.status.snapshot()).stories).toBe(files);
    const [source] = await herald.services.sources.all();
    const state = await herald.services.sources.state(source?.key ?? '');
    expect(state.lastRun).toMatchObject({ added: files, merged: 0, skipped: 0, failed: 0 });

    // The next read finds every file stored already.
    const again = await herald.services.ingest.runSource(source as NonNullable<typeof source>);
    expect(again.added).toEqual([]);
    expect((await herald.services.sources.state(source?.key ?? '')).lastRun).toMatchObject({
      added: 0,
      skipped: files,
    });
  });
});
