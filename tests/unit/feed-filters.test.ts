import { describe, expect, it } from 'vitest';
import { createFeedMatcher, type FeedMatchStory } from '../../src/feeds/feed-matcher.ts';
import { compileFilter, matchText } from '../../src/feeds/filters.ts';

const story = (id: string, over: Partial<FeedMatchStory> = {}): FeedMatchStory => ({
  id,
  topics: ['science'],
  entities: [],
  sources: [{ name: 'Example News' }],
  ...over,
});

describe('feed filters', () => {
  it('matches comma-separated keywords as whole words or phrases, in any case', () => {
    const filter = compileFilter('climate change, ESA', 'include');
    expect(filter(matchText(['New Climate  Change report']))).toBe(true);
    expect(filter(matchText(['The esa launches a probe']))).toBe(true);
    expect(filter(matchText(['Climatechange is one word here']))).toBe(false);
    expect(filter(matchText(['Mesa town news']))).toBe(false);
  });

  it('runs a /regex/ case-insensitively on the linear-time engine', () => {
    const filter = compileFilter('/^comet\\b|eclipse$/', 'include');
    expect(filter(matchText(['Comet seen']))).toBe(true);
    expect(filter(matchText(['A total ECLIPSE']))).toBe(true);
    expect(filter(matchText(['A comet seen']))).toBe(false);
  });

  it('refuses patterns it cannot run safely, naming the reason', () => {
    expect(() => compileFilter('/(a)\\1/', 'exclude')).toThrow(
      /cannot run the exclude regex safely: invalid escape sequence/,
    );
    expect(() => compileFilter('/(?=x)y/', 'include')).toThrow(/unsupported Perl syntax/);
    expect(() => compileFilter('/x/g', 'include')).toThrow(/flag I do not support \("g"\)/);
    expect(() => compileFilter(' , ,', 'include')).toThrow(/no words/);
  });

  it('stays linear on a pattern that backtracks catastrophically in a backtracking engine', () => {
    const filter = compileFilter('/(a+)+$/', 'include');
    // A backtracking engine takes exponential time on this input; RE2 answers at once.
    expect(filter(matchText([`${'a'.repeat(5000)}!`]))).toBe(false);
  });
});

describe('feed matcher', () => {
  it('matches by topic, by source, or both, then applies include and exclude', () => {
    const matcher = createFeedMatcher([
      { id: 'science', topic: { key: 'science' } },
      { id: 'wire-only', source: 'Other Wire' },
      { id: 'science-from-wire', topic: { key: 'science' }, source: 'other wire' },
      { id: 'no-rumours', topic: { key: 'science' }, exclude: 'rumour' },
      { id: 'named', topic: { key: 'Ada Lovelace' } },
    ]);
    const stories = [
      story('s1', { sources: [{ name: 'Example News' }] }),
      story('s2', { sources: [{ name: 'Other Wire' }] }),
      story('s3', { topics: ['business'], entities: ['Ada Lovelace'], sources: [{ name: 'Example News' }] }),
    ];
    const titles: Record<string, string> = { s1: 'Comet rumour', s2: 'Comet seen', s3: 'Lovelace honoured' };
    const result = matcher.match(stories, (s) => matchText([titles[s.id] ?? '']));
    expect(Object.fromEntries(result)).toEqual({
      science: ['s1', 's2'],
      'wire-only': ['s2'],
      'science-from-wire': ['s2'],
      'no-rumours': ['s2'],
      named: ['s3'],
    });
  });

  it('skips a feed whose stored filter no longer compiles and says which', () => {
    const bad: string[] = [];
    const matcher = createFeedMatcher(
      [
        { id: 'broken', topic: { key: 'science' }, include: '/(a)\\1/' },
        { id: 'ok', topic: { key: 'science' } },
      ],
      (id) => bad.push(id),
    );
    expect(matcher.size()).toBe(1);
    expect(bad).toEqual(['broken']);
  });
});
