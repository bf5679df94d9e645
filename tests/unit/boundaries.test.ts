// The boundary rules (eslint.config.js) as a reader of src/ relies on them: every folder has
// its line, features never import each other, services never reach a surface.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/run-herald.ts';

interface RestrictedPattern {
  regex?: string;
  group?: string[];
}
interface RestrictedImports {
  paths: { name: string }[];
  patterns: RestrictedPattern[];
}

interface ConfigBlock {
  files?: string[];
  rules?: Record<string, unknown>;
}
// The config is plain JavaScript (ESLint loads it as it is), read here by its URL.
const { default: config, AREA_IMPORTS } = (await import(
  pathToFileURL(path.join(repoRoot, 'eslint.config.js')).href
)) as { default: ConfigBlock[]; AREA_IMPORTS: Record<string, string[]> };

/** The no-restricted-imports options the flat config applies to `file` (the last block wins). */
function restrictionsFor(file: string): RestrictedImports {
  let found: RestrictedImports | undefined;
  for (const block of config) {
    const rule = block.rules?.['no-restricted-imports'] as [string, RestrictedImports] | undefined;
    if (!rule || !block.files?.some((glob) => path.matchesGlob(file, glob))) continue;
    found = rule[1];
  }
  if (!found) throw new Error(`no boundary rule covers ${file}`);
  return found;
}

function forbids(file: string, specifier: string): boolean {
  const { paths, patterns } = restrictionsFor(file);
  return (
    paths.some((entry) => entry.name === specifier) ||
    patterns.some((pattern) => pattern.regex !== undefined && new RegExp(pattern.regex).test(specifier))
  );
}

describe('the boundary rules', () => {
  it('name every folder of src/', () => {
    const folders = readdirSync(path.join(repoRoot, 'src'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    const missing = folders.filter((folder) => !(folder in AREA_IMPORTS));
    expect(missing, 'add a line for each to AREA_IMPORTS in eslint.config.js').toEqual([]);
    for (const folder of folders) expect(() => restrictionsFor(`src/${folder}/x.ts`)).not.toThrow();
  });

  it('keep features apart: each reads another only through what the root passes in', () => {
    expect(forbids('src/feeds/feed-service.ts', '../subscriptions/subscription-types.ts')).toBe(true);
    expect(forbids('src/subscriptions/dm-delivery.ts', '../digest/schedule.ts')).toBe(true);
    expect(forbids('src/digest/composer.ts', '../feeds/feed-types.ts')).toBe(true);
    expect(forbids('src/feeds/feed-service.ts', '../news/types.ts')).toBe(false);
  });

  it('keep services and the command contract off the surfaces, the root and discord.js', () => {
    for (const file of [
      'src/news/x.ts',
      'src/brief/answer/x.ts',
      'src/interaction/x.ts',
      'src/digest/x.ts',
    ]) {
      expect(forbids(file, 'discord.js'), file).toBe(true);
      expect(forbids(file, '../discord/client.ts'), file).toBe(true);
      expect(forbids(file, '../terminal/terminal.ts'), file).toBe(true);
      expect(forbids(file, '../app/herald.ts'), file).toBe(true);
      expect(forbids(file, '../../commands/index.ts'), file).toBe(true);
    }
    expect(forbids('src/discord/client.ts', 'discord.js')).toBe(false);
  });

  it('keep lower layers from reaching up, and nothing imports the entry', () => {
    expect(forbids('src/news/ingest-service.ts', '../brief/topics/story-topics.ts')).toBe(true);
    expect(forbids('src/store/backend.ts', '../news/types.ts')).toBe(true);
    expect(forbids('src/brief/brief-service.ts', '../news/types.ts')).toBe(false);
    expect(forbids('src/app/herald.ts', '../main.ts')).toBe(true);
    expect(forbids('commands/ask.ts', '../src/discord/permissions.ts')).toBe(true);
  });
});
