import { describe, expect, it } from 'vitest';
import { bodySimilarity, containment, createStoryMatcher, shingleSet } from '../../src/news/story-merge.ts';
import { evaluateMergePairs, loadMergePairs } from '../support/merge-pairs.ts';

describe('story merge on the fixture pairs', () => {
  const pairs = loadMergePairs();

  it('has at least 12 same-story and 12 different-story pairs', () => {
    expect(pairs.filter((pair) => pair.same).length).toBeGreaterThanOrEqual(12);
    expect(pairs.filter((pair) => !pair.same).length).toBeGreaterThanOrEqual(12);
  });

  it('merges every syndicated copy and keeps every different story apart', () => {
    const evaluation = evaluateMergePairs(pairs);
    expect(evaluation.errors).toEqual([]);
    expect(evaluation.precision).toBe(1);
    expect(evaluation.recall).toBe(1);
  });

  it('keeps a clear margin around the default threshold', () => {
    const evaluation = evaluateMergePairs(pairs);
    expect(evaluation.minSameSimilarity).toBeGreaterThan(0.75);
    expect(evaluation.maxDifferentSimilarity).toBeLessThan(0.25);
  });
});

describe('createStoryMatcher', () => {
  const story = (seed: string): string[] =>
    Array.from(
      { length: 6 },
      (_, i) =>
        `Paragraph ${i} of the ${seed} story tells what happened in ${seed} with detail number ${i} and more words.`,
    );

  it('finds the story of a copy among many, and nothing for an unrelated article', () => {
    const matcher = createStoryMatcher();
    for (let i = 0; i < 500; i++) matcher.add(`s${i}`, { paragraphs: story(`topic${i}`) });
    expect(matcher.size).toBe(500);
    const copy = story('topic321').slice(1);
    expect(matcher.findMatch({ paragraphs: copy })).toEqual({ storyId: 's321', similarity: 1 });
    expect(matcher.findMatch({ paragraphs: story('unseen') })).toBeUndefined();
  });

  it('ignores paragraph order and refuses tiny texts', () => {
    const text = story('order');
    expect(bodySimilarity({ paragraphs: text }, { paragraphs: [...text].reverse() })).toBe(1);
    const matcher = createStoryMatcher();
    matcher.add('s', { paragraphs: ['Click here now.'] });
    expect(matcher.findMatch({ paragraphs: ['Click here now.'] })).toBeUndefined();
  });

  it('measures containment of the smaller set', () => {
    const a = shingleSet(['one two three four five six seven']);
    const b = shingleSet(['one two three four five six seven eight nine']);
    expect(a.length).toBe(3);
    expect(containment(a, b)).toBe(1);
    expect(containment(a, new Uint32Array())).toBe(0);
  });
});
