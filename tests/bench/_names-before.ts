// The tagger as it was before issue 16 (commit BEFORE_COMMIT), loaded from git into a temp
// directory at bench time so the bench can print it beside today's in the same run.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { OfferedName } from './_names-conll.ts';

const BEFORE_COMMIT = '64ede1d';
const FILES = ['entities.ts', 'places.ts', 'story-topics.ts'];

interface OldEntity {
  name: string;
  kind: OfferedName['kind'];
}
interface OldModule {
  extractEntities(text: string): OldEntity[];
  entityTopicKey(name: string): string;
}
interface OldTopicsModule {
  createStoryTopicTagger(options: { classifier: unknown; taxonomy: unknown }): {
    tag(input: { title: string; paragraphs: string[]; sourceTopics: string[] }): { entities: string[] };
  };
}

export interface BeforeTagger {
  extract(text: string): OfferedName[];
  followable(title: string, paragraphs: string[]): OfferedName[];
}

/** The old extractor and tagger, or undefined when git or the commit is not there. */
export async function loadBeforeTagger(
  repoRoot: string,
  classifier: unknown,
  taxonomy: unknown,
): Promise<BeforeTagger | undefined> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'herald-names-before-'));
  try {
    for (const file of FILES) {
      const text = execFileSync('git', ['show', `${BEFORE_COMMIT}:src/brief/topics/${file}`], {
        cwd: repoRoot,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      writeFileSync(path.join(dir, file), text);
    }
    const entities = (await import(pathToFileURL(path.join(dir, 'entities.ts')).href)) as OldModule;
    const topics = (await import(pathToFileURL(path.join(dir, 'story-topics.ts')).href)) as OldTopicsModule;
    const tagger = topics.createStoryTopicTagger({ classifier, taxonomy });
    return {
      extract: (text) => entities.extractEntities(text).map(({ name, kind }) => ({ name, kind })),
      followable(title, paragraphs) {
        const names = tagger.tag({ title, paragraphs, sourceTopics: [] }).entities;
        const kinds = new Map<string, OfferedName['kind']>();
        for (const e of [
          ...entities.extractEntities(title),
          ...entities.extractEntities(paragraphs.join('\n\n')),
        ]) {
          const key = entities.entityTopicKey(e.name);
          if (!kinds.has(key) || kinds.get(key) === 'other') kinds.set(key, e.kind);
        }
        return names.map((name) => ({ name, kind: kinds.get(entities.entityTopicKey(name)) ?? 'other' }));
      },
    };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
