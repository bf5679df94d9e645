import { describe, expect, it } from 'vitest';
import { createProgressWriter, progressLine } from '../../src/cli/ingest-progress.ts';
import type { IngestProgress } from '../../src/news/ingest-job.ts';

const counts = { added: 900, merged: 50, skipped: 50, failed: 0 };

describe('the ingest progress line', () => {
  it('shows files done of the total, the rate and the time left', () => {
    const step: IngestProgress = { location: 'archive', files: 1000, totalFiles: 4000, done: false, counts };
    expect(progressLine(step, 10_000)).toBe(
      'archive: 1000/4000 files, 100 files/s, about 30s left; 900 added, 50 merged, 50 skipped, 0 failed',
    );
  });

  it('redraws one line per location and ends it when the location is done', () => {
    let now = 0;
    const written: string[] = [];
    const write = createProgressWriter(
      (text) => written.push(text),
      () => now,
    );
    write({ location: 'archive', files: 0, totalFiles: 1500, done: false, counts });
    now = 60_000;
    write({ location: 'archive', files: 500, totalFiles: 1500, done: false, counts });
    write({ location: 'archive', files: 1500, done: true, counts });
    const redraw = '\r\u001b[2K';
    expect(written[1]).toBe(
      `${redraw}archive: 500/1500 files, 8 files/s, about 2m 0s left; 900 added, 50 merged, 50 skipped, 0 failed`,
    );
    expect(written[2]).toBe(`${redraw}archive: 900 added, 50 merged, 50 skipped, 0 failed\n`);
  });
});
