import { describe, expect, it } from 'vitest';
import { createBm25Scorer } from '../../src/brief/retrieval/fts-bm25.ts';
import type { TermDocumentCounts } from '../../src/brief/retrieval/term-counts.ts';

const stats = { passages: 1000, heads: 100, passageLength: 10_000, titleLength: 800, entitiesLength: 300 };
const counts: Record<string, TermDocumentCounts> = {
  harbour: { sentence: 4, window: 6, title: 2, entities: 1 },
  city: { sentence: 300, window: 400, title: 30, entities: 0 },
};
const scorer = (queryTerms: string[], entityBoost = 1) =>
  createBm25Scorer({
    queryTerms,
    stats,
    counts: (term) => counts[term] ?? { sentence: 0, window: 0, title: 0, entities: 0 },
    entityBoost,
  });
const field = (text: string, length = text.split(' ').length) => ({ folded: [text], length });

describe('BM25+ scoring of the answer index', () => {
  it('counts passages (sentences and windows) and headlines holding a term', () => {
    const s = scorer(['harbour', 'city']);
    expect(s.passagesWith('harbour')).toBe(10);
    expect(s.headlinesWith('harbour')).toBe(3);
    expect(s.passagesWith('absent')).toBe(0);
  });

  it('ranks a passage holding the rarer term above one holding the common one', () => {
    const s = scorer(['harbour', 'city']);
    expect(s.passage(field('harbour closed today'))).toBeGreaterThan(s.passage(field('city closed today')));
    expect(s.passage(field('nothing here'))).toBe(0);
  });

  it('multiplies by the distinct query terms matched, and prefers the shorter of two equal passages', () => {
    const s = scorer(['harbour', 'city']);
    // Same length, so each term scores the same alone as together: together counts twice.
    const both = s.passage(field('harbour city', 2));
    const alone = s.passage(field('harbour', 2)) + s.passage(field('city', 2));
    expect(both).toBeCloseTo(2 * alone, 10);
    expect(s.passage(field('harbour a b', 3))).toBeGreaterThan(
      s.passage(field('harbour a b c d e f g h', 9)),
    );
  });

  it('scores a headline by its title and entities, entities weighted, and 0 when neither matches', () => {
    const title = field('harbour reopens');
    const entities = field('harbour');
    expect(scorer(['harbour'], 2).head(title, entities)).toBeGreaterThan(
      scorer(['harbour'], 1).head(title, entities),
    );
    expect(scorer(['harbour']).head(field('council meets'), field(''))).toBe(0);
  });
});
