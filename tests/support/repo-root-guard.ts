/**
 * Vitest global setup: the run fails if a test created a file or directory at the top of the
 * repository or in its data/ folder, where a store path given relative to the working
 * directory lands (a 16 MB SQLite file named ':memory:' was once committed that way). Tests
 * keep their stores in memory or in the run's temp directory.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Written by tools around the tests, never by a test. */
const TOOL_OUTPUT = new Set(['coverage']);

function entries(): Set<string> {
  const found = new Set(readdirSync(repoRoot));
  const data = path.join(repoRoot, 'data');
  if (existsSync(data)) for (const name of readdirSync(data)) found.add(`data/${name}`);
  return found;
}

export default function setup(): () => void {
  const before = entries();
  return () => {
    const created = [...entries()].filter((name) => !before.has(name) && !TOOL_OUTPUT.has(name));
    if (created.length > 0)
      throw new Error(
        `tests created ${created.map((name) => `'${name}'`).join(', ')} in the repository; keep stores in memory or in the temp directory`,
      );
  };
}
