// The pure ingestion pipeline as it was before issue 15's extraction work (commit
// BEFORE_COMMIT), taken from git into a temp directory at bench time so the ingest bench can
// time it beside today's in the same process: on a shared machine only a same-run ratio means
// anything.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RawInput } from '../../src/news/pipeline.ts';

/** The session start's code: the extraction before title agreement and the chrome checks. */
export const BEFORE_COMMIT = '64ede1d';

interface OldPipelineModule {
  prepareArticles(inputs: readonly RawInput[]): { articles: unknown[]; skipped: unknown[] };
}

export interface BeforePipeline {
  /** Runs the old prepareArticles; returns how many articles it kept or skipped. */
  prepare(inputs: readonly RawInput[]): number;
}

export type BeforeLoad = { pipeline: BeforePipeline } | { unavailable: string };

/**
 * The old pipeline, or why it could not be loaded (no git, no such commit, the old code no
 * longer runs). The temp copy is removed once imported: every module it needs is loaded by then.
 */
export async function loadBeforePipeline(repoRoot: string): Promise<BeforeLoad> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'herald-pipeline-before-'));
  try {
    const archive = execFileSync('git', ['archive', '--format=tar', BEFORE_COMMIT, 'src'], {
      cwd: repoRoot,
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    execFileSync('tar', ['-x', '-C', dir], { input: archive, stdio: ['pipe', 'ignore', 'ignore'] });
    // The old code imports the same packages; node resolves them through this link, and the
    // package.json makes its .ts files ES modules as they are in the repository.
    symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    const old = (await import(
      pathToFileURL(path.join(dir, 'src/news/pipeline.ts')).href
    )) as OldPipelineModule;
    return {
      pipeline: {
        prepare(inputs) {
          const result = old.prepareArticles(inputs);
          return result.articles.length + result.skipped.length;
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
