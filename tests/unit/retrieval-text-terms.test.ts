import { describe, expect, it } from 'vitest';
import { contentStems, createStemmer, stemWord, words } from '../../src/brief/retrieval/text-terms.ts';

describe('retrieval text terms', () => {
  it('folds case, accents and punctuation into word tokens', () => {
    expect(words("Beyoncé's world-tour, 2016!")).toEqual(['beyonce', 's', 'world', 'tour', '2016']);
  });

  it('folds inflected and derived forms to one stem', () => {
    const groups = [
      ['elect', 'elected', 'electing', 'elects'],
      ['vote', 'voted', 'votes', 'voting'],
      ['nation', 'national', 'nations'],
      ['university', 'universities'],
      ['hop', 'hopping', 'hopped'],
    ];
    for (const group of groups) expect(new Set(group.map(stemWord)).size, group.join(',')).toBe(1);
  });

  it('keeps words apart that only look alike', () => {
    expect(stemWord('police')).not.toBe(stemWord('policy'));
    expect(stemWord('bus')).toBe('bus');
    expect(stemWord('2016s')).toBe('2016s');
  });

  it('drops stopwords and question fillers from content terms', () => {
    const stem = createStemmer();
    expect(contentStems('What is the name of the new bridges?', stem, new Set(['name']))).toEqual([
      'new',
      'bridg',
    ]);
  });
});
