/**
 * The ingest progress line on a terminal: files done, the rate, an estimate of the time left
 * and the counts so far, redrawn in place after every window and ended when a location is done.
 */
import type { IngestProgress } from '../news/ingest-job.ts';

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const rounded = Math.max(0, Math.round(seconds));
  const hours = Math.floor(rounded / 3600);
  const minutes = Math.floor((rounded % 3600) / 60);
  if (hours > 0) return `${hours}h ${minutes}m`;
  return minutes > 0 ? `${minutes}m ${rounded % 60}s` : `${rounded}s`;
}

/** One line for where an ingest stands, `startedAt` being when its location began. */
export function progressLine(progress: IngestProgress, elapsedMs: number): string {
  const { counts } = progress;
  const totals = `${counts.added} added, ${counts.merged} merged, ${counts.skipped} skipped, ${counts.failed} failed`;
  if (progress.done || progress.totalFiles === undefined) return `${progress.location}: ${totals}`;
  const rate = elapsedMs > 0 ? (progress.files * 1000) / elapsedMs : 0;
  const left = rate > 0 ? (progress.totalFiles - progress.files) / rate : Number.POSITIVE_INFINITY;
  return `${progress.location}: ${progress.files}/${progress.totalFiles} files, ${rate.toFixed(0)} files/s, about ${duration(left)} left; ${totals}`;
}

/** Writes progress to a terminal stream, one redrawn line per location. */
export function createProgressWriter(
  write: (text: string) => void,
  now: () => number = Date.now,
): (progress: IngestProgress) => void {
  let location: string | undefined;
  let startedAt = now();
  return (progress) => {
    if (progress.location !== location) {
      location = progress.location;
      startedAt = now();
    }
    // \r and clear-to-end-of-line redraw the line; the finished one stays.
    write(`\r\u001b[2K${progressLine(progress, now() - startedAt)}${progress.done ? '\n' : ''}`);
    if (progress.done) location = undefined;
  };
}
