import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runHerald } from '../support/run-herald.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'herald-hostile-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function articleFile(name: string, title: string): string {
  const file = path.join(dir, name);
  const body = Array.from({ length: 6 }, (_, i) => `${title} paragraph ${i} tells how the harbour council of Caldera voted on the new ferry timetable, and what the ferry crews said about it afterwards.`);
  writeFileSync(file, `${title}\n\n${body.join('\n\n')}\n`);
  return file;
}

describe('ingest on the command line with bad arguments', () => {
  it('reports an unparseable URL with its reason and still ingests the other arguments', async () => {
    const good = articleFile('good.txt', 'Harbour council backs the winter ferry timetable');
    const run = await runHerald(['ingest', 'http://[not-a-host', good, '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { added: unknown[]; failed: { source: string; message: string }[] };
    expect(report.added).toHaveLength(1);
    expect(report.failed).toEqual([{ source: 'http://[not-a-host', message: 'http://[not-a-host: not a valid URL' }]);
    expect(run.stderr).not.toMatch(/internal error|TypeError/);
  });

  it('exits non-zero when nothing could be ingested, saying so', async () => {
    const run = await runHerald(['ingest', 'http://[not-a-host', path.join(dir, 'missing.txt')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('0 added, 0 merged into existing stories, 0 skipped, 2 failed');
    expect(run.stdout).toContain('Nothing was ingested.');
  });
});
