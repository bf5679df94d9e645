// The answer path on `main` when this round of issue 24 began (commit BEFORE_COMMIT: answer
// types, the question's subject and the first calibrated confidence), taken from git into a
// temp directory at bench time so `npm run bench -- ask` measures it beside today's code in
// the same process: on a shared machine only a same-run comparison means anything.
import { execFileSync } from 'node:child_process';
import type { DatabaseSync } from 'node:sqlite';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { StoryIndex } from '../../src/brief/retrieval/story-index.ts';

/** `main` at the start of this round. */
export const BEFORE_COMMIT = '69e6574';

/** What the bench reads from the old ranking. */
export interface BeforeRanked {
  text: string;
  confidence: number;
  /** The old code's own gates (asked kind held, specifics present, something asked said). */
  passesGates: boolean;
  answerable: boolean;
}

export interface BeforeAnswerer {
  rank(question: string, options?: { limit?: number }): BeforeRanked[];
  answer(question: string): Promise<unknown>;
}

export interface BeforeAsk {
  /** The old default `ask.minConfidence`. */
  minConfidence: number;
  createIndex(db: DatabaseSync, options: { windows: boolean }): StoryIndex;
  createAnswerer(index: StoryIndex): BeforeAnswerer;
}

export type BeforeLoad = { ask: BeforeAsk } | { unavailable: string };

type OldRanked = Omit<BeforeRanked, 'passesGates'>;
interface OldAnswerModule {
  DEFAULT_MIN_CONFIDENCE: number;
  passesGates(candidate: OldRanked): boolean;
  createExtractiveAnswerer(options: { index: StoryIndex }): {
    rank(question: string, options?: { limit?: number }): OldRanked[];
    answer(question: string): Promise<unknown>;
  };
}
interface OldIndexModule {
  createFtsStoryIndex(db: DatabaseSync, options: { windows: boolean }): StoryIndex;
}

/** The old index and answerer, or why they could not be loaded; the temp copy is removed once imported. */
export async function loadBeforeAsk(repoRoot: string): Promise<BeforeLoad> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'herald-ask-before-'));
  try {
    const archive = execFileSync('git', ['archive', '--format=tar', BEFORE_COMMIT, 'src'], {
      cwd: repoRoot,
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    execFileSync('tar', ['-x', '-C', dir], { input: archive, stdio: ['pipe', 'ignore', 'ignore'] });
    symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    const load = async <T>(file: string): Promise<T> =>
      (await import(pathToFileURL(path.join(dir, file)).href)) as T;
    const answers = await load<OldAnswerModule>('src/brief/answer/extractive-answerer.ts');
    const indexes = await load<OldIndexModule>('src/brief/retrieval/fts-story-index.ts');
    return {
      ask: {
        minConfidence: answers.DEFAULT_MIN_CONFIDENCE,
        createIndex: (db, options) => indexes.createFtsStoryIndex(db, options),
        createAnswerer: (index) => {
          const old = answers.createExtractiveAnswerer({ index });
          return {
            rank: (question, options) =>
              old.rank(question, options).map((r) => ({ ...r, passesGates: answers.passesGates(r) })),
            answer: (question) => old.answer(question),
          };
        },
      },
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { unavailable: `commit ${BEFORE_COMMIT} could not be loaded (${reason})` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
