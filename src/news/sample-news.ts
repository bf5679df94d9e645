/**
 * Reads the bundled sample news (config/sample-news) as raw inputs: feeds (.xml, .json),
 * article pages (.html) and pasted article text (.txt). The terminal mode ingests these into
 * an empty store so Herald is useful offline.
 *
 * Source names come from file names: "harbor-gazette--bridge.txt" is from "Harbor Gazette";
 * a file without "--" is named after the whole file, or, when the folder is a configured
 * source, carries that source's name (its admin named it; "Syria Jordan Power" from
 * syria-jordan-power.txt is not an outlet).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { RawInput } from './pipeline.ts';
import { readTextFile } from './read-text-file.ts';

/** Every file kind a local ingest reads, by extension: one list for a file and a folder. */
export const KIND_BY_EXTENSION: Readonly<Record<string, RawInput['kind']>> = {
  '.xml': 'feed',
  '.rss': 'feed',
  '.atom': 'feed',
  '.json': 'feed',
  '.html': 'html',
  '.htm': 'html',
  '.txt': 'text',
};
const KINDS = KIND_BY_EXTENSION;

/** Why a file in a news folder was not read. */
export const NOT_NEWS_FILE =
  'not a feed (.xml, .rss, .atom, .json), page (.html, .htm) or article text (.txt)';

/** "harbor-gazette--bridge.txt" → "Harbor Gazette". */
export function sourceNameFromFile(file: string): string {
  const stem = path.basename(file, path.extname(file)).split('--')[0] ?? file;
  return stem
    .split(/[-_]+/)
    .filter(Boolean)
    .map((word) => word[0]?.toUpperCase() + word.slice(1))
    .join(' ');
}

/** True when the file name says which outlet it is from ("outlet--slug.txt"). */
function namesItsOutlet(file: string): boolean {
  return path.basename(file).includes('--');
}

/** The name a file's stories show: its outlet when the name gives one, else `sourceName` when given. */
export function sourceNameOf(file: string, sourceName?: string): string {
  return sourceName !== undefined && !namesItsOutlet(file) ? sourceName : sourceNameFromFile(file);
}

/**
 * The raw input for a local file's body, named by {@link sourceNameOf}. A name made from a
 * plain file name ("bbc-1.html", a hash) is marked, so the name a page declares for its site
 * replaces it; an outlet the file name gives ("outlet--slug") or a configured name stays.
 */
export function localInput(
  file: string,
  kind: RawInput['kind'],
  body: string,
  sourceName?: string,
): RawInput {
  const input: RawInput = { kind, body, sourceName: sourceNameOf(file, sourceName) };
  if (sourceName === undefined && !namesItsOutlet(file)) input.nameIsGuess = true;
  if (kind === 'feed' && file.endsWith('.json')) input.contentType = 'application/feed+json';
  return input;
}

/**
 * Every readable sample file in `dir`, sorted by name (feeds first so teasers meet their pages).
 * `sourceName` is the configured source's name, for the files that do not name an outlet;
 * `read` may refuse a file by throwing.
 */
export function loadSampleNews(
  dir: string,
  sourceName?: string,
  read: (file: string) => string = readTextFile,
  onSkipped?: (file: string, reason: string) => void,
): RawInput[] {
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => {
      if (KINDS[path.extname(entry.name).toLowerCase()] !== undefined && !entry.isDirectory()) return true;
      // Dotfiles (.DS_Store, .gitkeep) are not news anyone put there; the rest is told.
      if (!entry.name.startsWith('.'))
        onSkipped?.(
          entry.name,
          entry.isDirectory() ? 'a folder (folders are not read inside a folder)' : NOT_NEWS_FILE,
        );
      return false;
    })
    .map((entry) => entry.name)
    .sort();
  const order = { feed: 0, html: 1, text: 2 } as const;
  return files
    .map((file): RawInput => {
      const kind = KINDS[path.extname(file).toLowerCase()] ?? 'text';
      return localInput(file, kind, read(path.join(dir, file)), sourceName);
    })
    .sort((a, b) => order[a.kind] - order[b.kind]);
}
