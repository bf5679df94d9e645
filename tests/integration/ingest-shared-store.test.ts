// Two Herald instances on one store (shared SQLite file here, Redis in production): what one
// stored is never stored again, nor overwritten, by the other.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { allCommands } from '../../commands/index.ts';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { createLogger } from '../../src/logger.ts';
import { createHerald, type Herald } from '../../src/app/herald.ts';
import { quietTransport } from '../support/quiet-transport.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'herald-shared-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const heralds: Herald[] = [];
afterEach(async () => {
  for (const herald of heralds.splice(0)) await herald.close();
});

function article(name: string, headline: string, body: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(
    file,
    ['World', headline, ...body, 'Copyright © 2026 Some Publisher', 'Source link'].join('\n\n'),
  );
  return file;
}

const strikeBody = [
  'CALDERA — Dockworkers at the northern port walked out on Wednesday over plans to automate two terminals, halting most container traffic.',
  'The union said about 3,200 members joined the strike and that it would continue until the port authority withdrew the automation tender.',
  'Shipping lines began diverting vessels to the southern harbour, where officials warned of delays of up to four days for importers.',
  'The port authority said automation was needed to keep fees competitive and promised retraining for any worker whose job changed.',
];

describe('ingest on a store shared by two instances', () => {
  it('skips what the other instance stored and merges into its story instead of replacing it', async () => {
    const config = loadConfig({ STORE_URL: `sqlite://${path.join(dir, 'shared.sqlite')}` });
    const log = createLogger('silent');
    const first = await createHerald(config, { commands: allCommands, log, transport: quietTransport() });
    const second = await createHerald(config, { commands: allCommands, log, transport: quietTransport() });
    heralds.push(first, second);
    // The second instance builds its dedup indexes now, before the first stores anything.
    await second.services.ingest.ingestLocations([
      article('other.txt', 'Library reopens after restoration', [
        'ESTRAVA — The national library opened its doors again on Saturday after five years of repairs to its painted ceilings and wiring.',
        'Hundreds of readers queued in the rain, and the director said evening hours would be added for students and shift workers.',
        'A climate-controlled vault now holds the rare manuscripts that spent the restoration in a borrowed warehouse outside the city.',
      ]),
    ]);

    const wire = article('wire--strike.txt', 'Dockworkers strike at Caldera port', strikeBody);
    const copy = article('daily--strike.txt', 'Port strike halts container traffic', strikeBody.slice(0, 3));
    const stored = await first.services.ingest.ingestLocations([wire]);
    expect(stored.added).toHaveLength(1);

    const again = await second.services.ingest.ingestLocations([wire, copy]);
    expect(again.added).toHaveLength(0);
    expect(again.skipped.map((s) => s.reason)).toContain('already stored');

    const story = await first.services.brief.detail(stored.added[0]!.storyId!, 'operator');
    expect(story?.articles.length).toBeGreaterThanOrEqual(1);
    expect(story?.story.sources.map((s) => s.name)).toContain('Wire');
  });
});
