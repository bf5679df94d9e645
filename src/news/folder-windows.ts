/**
 * A folder of news files read in windows, for imports of any size: the directory is streamed
 * (never listed whole), once per kind so feeds come before pages and pages before pasted text
 * (teasers meet their pages), and a file is read only when its window comes. Nothing per file
 * outlives its window, so memory stays flat whether the folder holds a thousand files or a
 * hundred thousand.
 */
import { opendir } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.ts';
import type { RawInput } from './pipeline.ts';
import { NOT_NEWS_FILE, newsKindOf, sourceNameOf } from './sample-news.ts';

/** Files read and ingested together: one commit's worth of articles. */
export const FILES_PER_WINDOW = 500;

const KIND_ORDER: readonly RawInput['kind'][] = ['feed', 'html', 'text'];

export interface FolderWindow {
  inputs: RawInput[];
  /** Why files of this window were left out (too large, binary, unreadable). */
  refused: string[];
  /** Files this window covered, the refused ones included. */
  files: number;
}

export interface FolderWindowOptions {
  /** Reads one file as text; throws a UserError to refuse it. */
  read(file: string): string;
  /** The configured source's name, for files that do not name their outlet. */
  sourceName?: string;
  size?: number;
}

async function* newsFiles(dir: string, kind: RawInput['kind']): AsyncGenerator<string> {
  for await (const entry of await opendir(dir)) {
    if (entry.isFile() && newsKindOf(entry.name) === kind) yield entry.name;
  }
}

/**
 * What in the folder is not news, with the reason (dotfiles such as .DS_Store are nobody's
 * news and are passed over quietly); streams the directory.
 */
export async function* skippedFiles(dir: string): AsyncGenerator<{ file: string; reason: string }> {
  for await (const entry of await opendir(dir)) {
    if (entry.name.startsWith('.')) continue;
    if (entry.isDirectory())
      yield { file: entry.name, reason: 'a folder (folders are not read inside a folder)' };
    else if (newsKindOf(entry.name) === undefined) yield { file: entry.name, reason: NOT_NEWS_FILE };
  }
}

/** How many news files the folder holds (for a progress estimate); streams the directory. */
export async function countNewsFiles(dir: string): Promise<number> {
  let count = 0;
  for await (const entry of await opendir(dir)) {
    if (entry.isFile() && newsKindOf(entry.name) !== undefined) count += 1;
  }
  return count;
}

export async function* folderWindows(
  dir: string,
  options: FolderWindowOptions,
): AsyncGenerator<FolderWindow> {
  const size = options.size ?? FILES_PER_WINDOW;
  let window: FolderWindow = { inputs: [], refused: [], files: 0 };
  for (const kind of KIND_ORDER) {
    for await (const name of newsFiles(dir, kind)) {
      window.files += 1;
      try {
        const input: RawInput = {
          kind,
          body: options.read(path.join(dir, name)),
          sourceName: sourceNameOf(name, options.sourceName),
        };
        if (kind === 'feed' && name.endsWith('.json')) input.contentType = 'application/feed+json';
        window.inputs.push(input);
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        window.refused.push(error.message);
      }
      if (window.files >= size) {
        yield window;
        window = { inputs: [], refused: [], files: 0 };
      }
    }
  }
  if (window.files > 0) yield window;
}
