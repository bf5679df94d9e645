import { describe, expect, it } from 'vitest';
import { rankStories, scoreStory } from '../../src/brief/ranking.ts';
import type { Story } from '../../src/news/types.ts';

const now = Date.parse('2026-05-10T12:00:00Z');
function story(id: string, overrides: Partial<Story> = {}): Story {
  return {
    id,
    title: id,
    articleIds: [`a-${id}`],
    sources: [{ name: 'Wire' }],
    publishedAt: '2026-05-10T10:00:00Z',
    firstSeenAt: '2026-05-10T10:00:00Z',
    updatedAt: '2026-05-10T10:00:00Z',
    contentHash: `h-${id}`,
    topics: [],
    entities: [],
    sourceWeight: 1,
    featured: false,
    ...overrides,
  };
}
const options = { now, halfLifeHours: 12, frontPageTopics: ['world'] };

describe('featured ranking', () => {
  it('halves the recency part every half-life', () => {
    const fresh = scoreStory(story('a', { publishedAt: '2026-05-10T12:00:00Z' }), options);
    const halfDay = scoreStory(story('b', { publishedAt: '2026-05-10T00:00:00Z' }), options);
    expect(fresh.parts.recency).toBeCloseTo(1);
    expect(halfDay.parts.recency).toBeCloseTo(0.5);
  });

  it('puts a story carried by three outlets above the same story from one', () => {
    const [first] = rankStories(
      [
        story('single'),
        story('syndicated', { sources: [{ name: 'Wire' }, { name: 'Daily' }, { name: 'Gazette' }] }),
      ],
      options,
    );
    expect(first?.story.id).toBe('syndicated');
    expect(first?.parts.coverage).toBeCloseTo(2 / 3);
  });

  it('counts the same outlet twice as one source', () => {
    const ranked = scoreStory(story('dup', { sources: [{ name: 'Wire' }, { name: 'wire' }] }), options);
    expect(ranked.parts.coverage).toBe(0);
  });

  it('lifts featured sources and front-page topics, and says so in the parts', () => {
    const ranked = rankStories(
      [story('plain'), story('featured', { featured: true }), story('world', { topics: ['world'] })],
      options,
    );
    expect(ranked.map((r) => r.story.id)).toEqual(['featured', 'world', 'plain']);
    expect(ranked[0]?.parts.featured).toBe(1);
    expect(ranked[1]?.parts.topic).toBe(1);
  });

  it('is deterministic: equal scores fall back to newer first, then id', () => {
    const ranked = rankStories(
      [story('b'), story('a'), story('c', { publishedAt: '2026-05-10T10:00:01Z' })],
      options,
    );
    expect(ranked.map((r) => r.story.id)).toEqual(['c', 'a', 'b']);
  });
});
