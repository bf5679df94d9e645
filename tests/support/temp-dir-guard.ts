/**
 * Vitest global setup: the whole run gets a temp directory of its own (TMPDIR, which
 * os.tmpdir() and the test workers read), and the run fails if any test left a file or
 * directory in it. Other processes on the machine use the shared temp directory at the same
 * time, so counting entries there could not tell whose they are.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const runDir = mkdtempSync(path.join(tmpdir(), 'herald-test-run-'));
  process.env.TMPDIR = runDir;
  return () => {
    const left = readdirSync(runDir);
    rmSync(runDir, { recursive: true, force: true });
    if (left.length > 0)
      throw new Error(`tests left ${left.length} entries in the temp directory: ${left.join(', ')}`);
  };
}
