// The reading code the `read` bench compares: today's tree, or the tree as it was at
// BEFORE_COMMIT (src and config taken from git into a temp directory), behind one shape so
// both run on the same data in the same process.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RawInput, PrepareResult } from '../../src/news/pipeline.ts';
import type { CleanArticle } from '../../src/news/types.ts';

/** main when issue 28's work began: the code a reader met before it. */
export const BEFORE_COMMIT = '5679387';

interface Tagger {
  tag(input: { title: string; paragraphs: string[]; sourceTopics: string[] }): { entities: string[] };
}
interface Classifier {
  scores(input: { title: string; text: string }): { key: string }[];
}
interface Summarizer {
  pick(
    input: { title: string; paragraphs: string[] },
    options: { maxSentences: number; maxChars: number },
  ): string[];
  summarize(input: { title: string; paragraphs: string[] }): Promise<{ sentences: string[] }>;
}

/** What the bench runs of one tree. */
export interface ReadingCode {
  label: string;
  decodeBody(bytes: Uint8Array, contentType: string | undefined): string;
  prepareArticles(inputs: readonly RawInput[]): PrepareResult;
  parseScrapedText(text: string): CleanArticle;
  splitSentences(text: string): string[];
  tagger: Tagger;
  classifier: Classifier;
  summarizer: Summarizer;
}

async function load(root: string, label: string): Promise<ReadingCode> {
  const at = async <T>(file: string): Promise<T> =>
    (await import(pathToFileURL(path.join(root, file)).href)) as T;
  const [decode, pipeline, scraped, sentences, topics, sections, taxonomy, summaries] = await Promise.all([
    at<{ decodeBody: ReadingCode['decodeBody'] }>('src/news/fetch/decode-body.ts'),
    at<{ prepareArticles: ReadingCode['prepareArticles'] }>('src/news/pipeline.ts'),
    at<{ parseScrapedText: ReadingCode['parseScrapedText'] }>('src/news/scraped-text.ts'),
    at<{ splitSentences: ReadingCode['splitSentences'] }>('src/brief/sentences.ts'),
    at<{
      createStoryTopicTagger(o: { classifier: unknown; taxonomy: unknown; gazetteer?: unknown }): Tagger;
    }>('src/brief/topics/story-topics.ts'),
    at<{ createSectionClassifier(taxonomy: unknown): Classifier }>('src/brief/topics/section-classifier.ts'),
    at<{ loadTaxonomy(file: string): unknown }>('src/brief/topics/taxonomy.ts'),
    at<{ createExtractiveSummarizer(): Summarizer }>('src/brief/extractive-summarizer.ts'),
  ]);
  const loaded = taxonomy.loadTaxonomy(path.join(root, 'config/topics.json'));
  // The gazetteer is wired into the bot's tagger where the tree has one.
  const gazetteer = existsSync(path.join(root, 'src/brief/topics/gazetteer.ts'))
    ? (await at<{ createGazetteer(): unknown }>('src/brief/topics/gazetteer.ts')).createGazetteer()
    : undefined;
  const classifier = sections.createSectionClassifier(loaded);
  return {
    label,
    decodeBody: decode.decodeBody,
    prepareArticles: (inputs) => pipeline.prepareArticles(inputs),
    parseScrapedText: scraped.parseScrapedText,
    splitSentences: sentences.splitSentences,
    tagger: topics.createStoryTopicTagger({
      classifier,
      taxonomy: loaded,
      ...(gazetteer ? { gazetteer } : {}),
    }),
    classifier,
    summarizer: summaries.createExtractiveSummarizer(),
  };
}

export function loadTodayCode(repoRoot: string): Promise<ReadingCode> {
  return load(repoRoot, 'today');
}

/**
 * The tree at BEFORE_COMMIT, or why it could not be loaded. The temp copy is removed once
 * imported: every module it needs is loaded by then.
 */
export async function loadBeforeCode(repoRoot: string): Promise<ReadingCode | { unavailable: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'herald-read-before-'));
  try {
    const archive = execFileSync('git', ['archive', '--format=tar', BEFORE_COMMIT, 'src', 'config'], {
      cwd: repoRoot,
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    execFileSync('tar', ['-x', '-C', dir], { input: archive, stdio: ['pipe', 'ignore', 'ignore'] });
    symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    return await load(dir, `before (${BEFORE_COMMIT})`);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { unavailable: `commit ${BEFORE_COMMIT} could not be loaded (${reason})` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
