import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { createFtsStoryIndex, type PersistentStoryIndex } from '../../src/brief/retrieval/fts-story-index.ts';
import { ALL_STORIES, BRIDGE, HARVEST, makeStory, ORCHESTRA } from '../support/ask-stories.ts';

// The index keeps per-term document counts in memory between questions (reading them from
// FTS5 walks whole doclists). Whatever writes happen, by this index or by another process on
// the same file, its scores must stay those of an index that has just read the counts afresh.
const QUESTIONS = [
  'When does the bridge reopen?',
  'Who did the orchestra appoint as conductor?',
  'How much of the wheat harvest was lost?',
  'council bridge',
];
const STEMS = ['bridg', 'council', 'harvest', 'conductor', 'reopen'];

const dirs: string[] = [];
const dbs: DatabaseSync[] = [];
function openFile(file: string): DatabaseSync {
  const db = new DatabaseSync(file);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000');
  dbs.push(db);
  return db;
}
function tempFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'herald-term-counts-'));
  dirs.push(dir);
  return path.join(dir, 'index.sqlite');
}
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** What a user sees of an index: ranked passages with scores, and idf. */
function answers(index: PersistentStoryIndex) {
  return {
    passages: QUESTIONS.map((q) =>
      index
        .search(q, { limit: 10 })
        .map((p) => [p.articleId, p.sentenceIndex, p.sentenceCount, p.score.toFixed(9)]),
    ),
    idf: STEMS.map((stem) => index.idf(stem).toFixed(9)),
  };
}

const STRIKE = makeStory('strike', 'Marlow bridge workers strike over council pay', [
  'Workers on the Harker Bridge repairs stopped work on Monday. The council said the bridge would still reopen in the autumn.',
]);

describe('answer index term counts', () => {
  it('follow the index’s own upserts, merges, removals and rebuilds', () => {
    const file = tempFile();
    const index = createFtsStoryIndex(openFile(file));
    for (const { story, articles } of ALL_STORIES) index.upsertStory(story, articles);
    answers(index); // fills the cache
    index.upsertStory(STRIKE.story, STRIKE.articles);
    index.removeStory(HARVEST.story.id);
    // The bridge story grows a second article: its rows are replaced.
    index.upsertStory(BRIDGE.story, [
      ...BRIDGE.articles,
      { ...ORCHESTRA.articles[0]!, id: 'bridge-a2', storyId: BRIDGE.story.id },
    ]);
    expect(answers(index)).toEqual(answers(createFtsStoryIndex(openFile(file))));

    index.clear();
    for (const { story, articles } of [ORCHESTRA, STRIKE]) index.upsertStory(story, articles);
    const fresh = createFtsStoryIndex(openFile(file));
    expect(answers(index)).toEqual(answers(fresh));
    expect(answers(index).passages[0]?.[0]?.[0]).toBe('strike-a1');
  });

  it('start over when another process writes the same file', () => {
    const file = tempFile();
    const reader = createFtsStoryIndex(openFile(file));
    const writer = createFtsStoryIndex(openFile(file));
    for (const { story, articles } of ALL_STORIES) writer.upsertStory(story, articles);
    answers(reader);
    writer.upsertStory(STRIKE.story, STRIKE.articles);
    writer.removeStory(ORCHESTRA.story.id);
    expect(answers(reader)).toEqual(answers(createFtsStoryIndex(openFile(file))));
  });

  it('forget a write that was rolled back', () => {
    const file = tempFile();
    const db = openFile(file);
    const index = createFtsStoryIndex(db);
    for (const { story, articles } of ALL_STORIES) index.upsertStory(story, articles);
    const before = answers(index);
    db.exec('BEGIN');
    index.upsertStory(STRIKE.story, STRIKE.articles);
    index.removeStory(BRIDGE.story.id);
    db.exec('ROLLBACK');
    expect(answers(index)).toEqual(before);
  });
});
