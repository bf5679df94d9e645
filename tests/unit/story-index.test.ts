import { describe, expect, it } from 'vitest';
import { createMemoryStoryIndex } from '../../src/brief/retrieval/fts-story-index.ts';
import { stemWord } from '../../src/brief/retrieval/text-terms.ts';
import { ALL_STORIES, BRIDGE, makeStory, ORCHESTRA } from '../support/ask-stories.ts';

describe('story index (SQLite FTS5)', () => {
  const createStoryIndex = createMemoryStoryIndex;
  function indexWith(...fixtures: typeof ALL_STORIES) {
    const index = createStoryIndex();
    for (const { story, articles } of fixtures) index.upsertStory(story, articles);
    return index;
  }

  it('indexes every sentence and every two-sentence window of each article', () => {
    const index = indexWith(BRIDGE);
    // Four sentences: four single-sentence passages and three windows.
    expect(index.size()).toBe(7);
    expect(index.storyCount()).toBe(1);
  });

  it('finds the sentence that matches a question, with its story, link and position', () => {
    const index = indexWith(...ALL_STORIES);
    const [top] = index.search('When does the bridge reopen?', { kind: 'sentence' });
    expect(top).toMatchObject({
      storyId: 'bridge',
      articleId: 'bridge-a1',
      title: 'Marlow council closes Harker Bridge',
      url: 'https://news.example/bridge',
      sentenceIndex: 3,
      sentenceCount: 1,
      text: 'Council leader Ada Brennan said the bridge would reopen in the autumn of 2026.',
    });
  });

  it('matches inflected forms through stemming', () => {
    const index = indexWith(...ALL_STORIES);
    const [top] = index.search('appointing conductors', { kind: 'sentence' });
    expect(top?.text).toContain('appointed Tomasz Reyes');
    expect(stemWord('appointing')).toBe(stemWord('appointed'));
    expect(stemWord('elections')).toBe(stemWord('elected'));
  });

  it('boosts a passage whose headline or story entities also match', () => {
    const byTitle = makeStory('t', 'Lighthouse keepers strike', [
      'The lighthouse workers walked out on Monday.',
    ]);
    const byBody = makeStory('b', 'Coastal news', ['The lighthouse workers walked out on Monday.']);
    const byEntity = makeStory('e', 'Coastal news', ['The lighthouse workers walked out on Monday.'], {
      entities: ['Grey Point Lighthouse'],
    });
    expect(indexWith(byBody, byTitle).search('lighthouse', { kind: 'sentence' })[0]?.storyId).toBe('t');
    expect(indexWith(byBody, byEntity).search('lighthouse', { kind: 'sentence' })[0]?.storyId).toBe('e');
  });

  it('keeps a scoped search to one story', () => {
    const index = indexWith(...ALL_STORIES);
    const hits = index.search('council bridge orchestra conductor', { storyId: 'orchestra', limit: 50 });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((p) => p.storyId === 'orchestra')).toBe(true);
    expect(index.search('bridge', { storyId: 'no-such-story' })).toEqual([]);
  });

  it('puts the newer story first when scores tie', () => {
    const older = makeStory('old', 'Update', ['The museum reopened its east wing.'], {
      publishedAt: '2025-01-01T00:00:00Z',
    });
    const newer = makeStory('new', 'Update', ['The museum reopened its east wing.'], {
      publishedAt: '2025-02-01T00:00:00Z',
    });
    for (const order of [
      [older, newer],
      [newer, older],
    ]) {
      const index = indexWith(...order);
      expect(index.search('museum east wing', { kind: 'sentence' }).map((p) => p.storyId)).toEqual([
        'new',
        'old',
      ]);
    }
  });

  it('replaces a story on upsert and forgets it on remove', () => {
    const index = indexWith(ORCHESTRA);
    const revised = makeStory('orchestra', 'Velden orchestra names new conductor', [
      'Conductor Lena Ortiz takes over in May.',
    ]);
    index.upsertStory(revised.story, revised.articles);
    expect(index.search('Tomasz Reyes', { kind: 'sentence' })).toEqual([]);
    expect(index.search('Lena Ortiz')[0]?.storyId).toBe('orchestra');
    expect(index.size()).toBe(1);
    index.removeStory('orchestra');
    expect(index.size()).toBe(0);
    expect(index.hasStory('orchestra')).toBe(false);
    expect(index.search('Lena Ortiz')).toEqual([]);
    expect(() => index.removeStory('orchestra')).not.toThrow();
  });

  it('moves an article merged into another story out of its old story', () => {
    const index = indexWith(ORCHESTRA);
    const merged = makeStory('orchestra-merged', 'Velden orchestra names new conductor', []);
    merged.story.articleIds = ORCHESTRA.articles.map((a) => a.id);
    index.upsertStory(
      merged.story,
      ORCHESTRA.articles.map((a) => ({ ...a, storyId: 'orchestra-merged' })),
    );
    const hits = index.search('Tomasz Reyes', { limit: 50 });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((p) => p.storyId === 'orchestra-merged')).toBe(true);
    expect(index.search('Tomasz Reyes', { storyId: 'orchestra' })).toEqual([]);
    expect(index.hasStory('orchestra')).toBe(false);
  });

  it('can index single sentences only', () => {
    const index = createStoryIndex({ windows: false });
    index.upsertStory(BRIDGE.story, BRIDGE.articles);
    expect(index.size()).toBe(4);
    expect(index.search('bridge', { kind: 'window' })).toEqual([]);
  });

  it('weighs rare terms above common ones', () => {
    const index = indexWith(...ALL_STORIES);
    expect(index.idf(index.stem('conductor'))).toBeGreaterThan(index.idf(index.stem('bridge')));
  });
});
