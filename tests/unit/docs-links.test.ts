// The README is a user's front door and docs/ holds the rest: both must stay true to the code.
// These tests fail when a link or anchor breaks, when the README grows past its budget, or
// when a command, subcommand, config key or environment variable is added, renamed or removed
// without the README following (or the README names one that does not exist).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allCommands } from '../../commands/index.ts';
import { cliSubcommands } from '../../src/cli/index.ts';
import { envSchema, fileConfigSchema } from '../../src/config/schema.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const README_MAX_LINES = 400;

const readmePath = path.join(repoRoot, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const docsDir = path.join(repoRoot, 'docs');
const markdownFiles = [
  readmePath,
  ...readdirSync(docsDir)
    .filter((name) => name.endsWith('.md'))
    .map((name) => path.join(docsDir, name)),
];

/** Text with code blocks and inline code blanked, so a link shown as code is not checked. */
function withoutCode(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** Every link and image target in a Markdown file, as written. */
function linkTargets(markdown: string): string[] {
  const targets: string[] = [];
  for (const match of withoutCode(markdown).matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    if (match[1] !== undefined) targets.push(match[1]);
  }
  return targets;
}

/** The anchors GitHub gives a file's headings: lower case, punctuation dropped, spaces to hyphens. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of markdown.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const text = (match[1] ?? '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const slug = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** What is wrong with one relative link from `fromFile`, or undefined when it resolves. */
function brokenLink(fromFile: string, target: string): string | undefined {
  const [filePart = '', anchor] = target.split('#');
  const file = filePart === '' ? fromFile : path.resolve(path.dirname(fromFile), decodeURI(filePart));
  if (!existsSync(file)) return `${target}: no such file`;
  if (anchor === undefined) return undefined;
  if (!file.endsWith('.md')) return `${target}: an anchor into a file that is not Markdown`;
  return headingAnchors(readFileSync(file, 'utf8')).has(anchor) ? undefined : `${target}: no such heading`;
}

/** The lines of one `## ` (or `### `) section, up to the next heading of the same or a higher level. */
function section(markdown: string, heading: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.indexOf(heading);
  if (start === -1) throw new Error(`README has no "${heading}" section`);
  const level = heading.indexOf(' ');
  const end = lines.findIndex(
    (line, index) => index > start && /^#+ /.test(line) && line.indexOf(' ') <= level,
  );
  return lines.slice(start + 1, end === -1 ? undefined : end);
}

/** The first cell of every body row of the tables in these lines. */
function firstCells(lines: string[]): string[] {
  return lines.filter((line) => line.startsWith('| `')).map((line) => line.slice(2).split(' | ')[0] ?? '');
}

function backticked(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? '');
}

/**
 * The config keys a table row names: `a.b.c` / `d` means a.b.c and a.b.d.
 * `sources[]` is the key `sources`.
 */
function documentedConfigKeys(): string[] {
  const keys: string[] = [];
  for (const cell of firstCells(section(readme, '## Configuration'))) {
    const [first, ...siblings] = backticked(cell).map((key) => key.replace(/\[\]$/, ''));
    if (first === undefined || !/^[a-z]/.test(first)) continue;
    keys.push(first);
    const parent = first.split('.').slice(0, -1);
    for (const sibling of siblings) keys.push([...parent, sibling].join('.'));
  }
  return keys;
}

/** Dotted paths of every setting in the config file (an array or a scalar is one setting). */
function configLeaves(value: unknown, prefix: string[] = []): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix.join('.')];
  return Object.entries(value).flatMap(([key, child]) => configLeaves(child, [...prefix, key]));
}

function configValueAt(config: unknown, dotted: string): unknown {
  let value: unknown = config;
  for (const key of dotted.split('.')) {
    if (value === null || typeof value !== 'object' || !(key in value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

describe('README and docs/', () => {
  it(`keeps the README within ${README_MAX_LINES} lines`, () => {
    expect(readme.trimEnd().split('\n').length).toBeLessThanOrEqual(README_MAX_LINES);
  });

  it('links only to files and headings that exist', () => {
    const broken: string[] = [];
    for (const file of markdownFiles) {
      for (const target of linkTargets(readFileSync(file, 'utf8'))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
        const problem = brokenLink(file, target);
        if (problem) broken.push(`${path.relative(repoRoot, file)}: ${problem}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('finds a broken file link and a broken anchor (the checker itself works)', () => {
    expect(brokenLink(readmePath, 'docs/no-such-file.md')).toMatch(/no such file/);
    expect(brokenLink(readmePath, '#no-such-heading')).toMatch(/no such heading/);
    expect(brokenLink(readmePath, '#channel-feeds')).toBeUndefined();
    expect(headingAnchors('## `scale`: 1,000 / 10,000 articles\n## Notes\n## Notes')).toEqual(
      new Set(['scale-1000--10000-articles', 'notes', 'notes-1']),
    );
    expect(linkTargets('[a](x.md) `[b](y.md)`\n```\n[c](z.md)\n```\n![i](img/p.png)')).toEqual([
      'x.md',
      'img/p.png',
    ]);
  });

  it('documents every environment variable Herald reads, and no other', () => {
    const documented = firstCells(section(readme, '### Environment variables')).flatMap(backticked);
    expect(documented.sort()).toEqual(Object.keys(envSchema.shape).sort());
  });

  it('documents every config key, and only keys the config file accepts', () => {
    const documented = documentedConfigKeys();
    const defaults = fileConfigSchema.parse({});
    expect(documented.filter((key) => configValueAt(defaults, key) === undefined)).toEqual([]);
    const undocumented = configLeaves(defaults).filter(
      (leaf) => !documented.some((key) => leaf === key || leaf.startsWith(`${key}.`)),
    );
    expect(undocumented).toEqual([]);
  });

  it('documents every slash command with its subcommands and options, and no other', () => {
    const cells = firstCells(section(readme, '## Commands'));
    const named = new Set(cells.map((cell) => /^`\/([a-z-]+)/.exec(cell)?.[1]));
    expect([...named].sort()).toEqual(allCommands.map((command) => command.data.name).sort());
    for (const { data } of allCommands) {
      const text = cells.filter((cell) => cell.startsWith(`\`/${data.name}`)).join(' ');
      const names = (data.options ?? []).flatMap((option) => [
        option.name,
        ...('options' in option ? (option.options ?? []).map((inner) => inner.name) : []),
      ]);
      const missing = names.filter((name) => !new RegExp(`\\b${name}\\b`).test(text));
      expect(missing, `/${data.name}`).toEqual([]);
    }
  });

  it('documents every command-line subcommand and its flags', () => {
    const text = firstCells(section(readme, '## Command line')).join(' ');
    for (const { usage } of cliSubcommands) {
      // A usage is "feed list [--guild ID] | feed remove <feed-id>": each form starts with its words.
      for (const form of usage.replace(/\(.*\)/, '').split(' | ')) {
        const words = form.trim().split(/\s+/);
        const end = words.findIndex((word) => !/^[a-z][a-z-]*$/.test(word));
        const invocation = words.slice(0, end === -1 ? undefined : end).join(' ');
        expect(text, invocation).toContain(`\`${invocation}`);
      }
      for (const flag of usage.match(/--[a-z-]+/g) ?? []) {
        if (flag !== '--json') expect(text, `${usage}: ${flag}`).toContain(flag);
      }
    }
  });
});
