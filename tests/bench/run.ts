// `npm run bench -- <name> [--json]`: runs one benchmark (or all of them with no name).
// Each benchmark is tests/bench/<name>.ts exporting `run(args)`; it prints a table and, with
// --json, one JSON object as its last line.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

interface BenchModule {
  run(args: string[]): Promise<void>;
}

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const available = readdirSync(benchDir)
  .filter((file) => file.endsWith('.ts') && file !== 'run.ts' && !file.startsWith('_'))
  .map((file) => file.slice(0, -3))
  .sort();

const [name, ...rest] = process.argv.slice(2);
const chosen = name && !name.startsWith('--') ? [name] : available;
const args = name && !name.startsWith('--') ? rest : process.argv.slice(2);

for (const bench of chosen) {
  if (!available.includes(bench)) {
    console.error(`unknown benchmark "${bench}"; available: ${available.join(', ')}`);
    process.exit(2);
  }
  const mod = (await import(path.join(benchDir, `${bench}.ts`))) as BenchModule;
  await mod.run(args);
}
