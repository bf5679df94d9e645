import { describe, expect, it } from 'vitest';
import { lcsLength, rouge } from '../../src/brief/rouge.ts';

describe('rouge', () => {
  // Candidate: "the cat sat on the mat"      (6 tokens)
  // Reference: "the cat is on the mat"       (6 tokens)
  // ROUGE-1: clipped overlap the×2, cat, on, mat = 5 → P = R = 5/6, F1 = 5/6 ≈ 0.8333.
  // ROUGE-2: candidate bigrams {the cat, cat sat, sat on, on the, the mat};
  //          reference bigrams {the cat, cat is, is on, on the, the mat};
  //          overlap the cat, on the, the mat = 3 → P = R = 3/5, F1 = 0.6.
  // ROUGE-L: LCS "the cat on the mat" = 5 → P = R = 5/6.
  it('matches the worked example for one sentence', () => {
    const r = rouge('The cat sat on the mat.', 'The cat is on the mat.');
    expect(r.rouge1.f1).toBeCloseTo(5 / 6, 6);
    expect(r.rouge2.f1).toBeCloseTo(0.6, 6);
    expect(r.rougeL.f1).toBeCloseTo(5 / 6, 6);
    expect(r.rougeLsum.f1).toBeCloseTo(5 / 6, 6);
  });

  // Candidate: "police arrested a man" (4) ; Reference: "a man was arrested by police" (6)
  // ROUGE-1: police, arrested, a, man = 4 → P = 4/4 = 1, R = 4/6, F1 = 2·1·(2/3)/(1+2/3) = 0.8.
  // ROUGE-2: cand {police arrested, arrested a, a man}; ref {a man, man was, was arrested,
  //          arrested by, by police}; overlap "a man" = 1 → P = 1/3, R = 1/5, F1 = 0.25.
  // ROUGE-L: LCS "a man" (or "police"...): length 2 → P = 2/4, R = 2/6, F1 = 0.4.
  it('matches the worked example with reordering', () => {
    const r = rouge('Police arrested a man.', 'A man was arrested by police.');
    expect(r.rouge1.precision).toBeCloseTo(1, 6);
    expect(r.rouge1.recall).toBeCloseTo(4 / 6, 6);
    expect(r.rouge1.f1).toBeCloseTo(0.8, 6);
    expect(r.rouge2.f1).toBeCloseTo(0.25, 6);
    expect(r.rougeL.f1).toBeCloseTo(0.4, 6);
  });

  // Clipping: candidate "the the the the" vs reference "the cat": unigram hits = min(4,1) = 1
  // → P = 1/4, R = 1/2, F1 = 2·(1/8)/(3/4) = 1/3.
  it('clips repeated n-grams to the reference count', () => {
    expect(rouge('the the the the', 'the cat').rouge1.f1).toBeCloseTo(1 / 3, 6);
  });

  // Summary-level LCS. Reference sentences r1 = "a b c", r2 = "d e"; candidate sentences
  // c1 = "a c", c2 = "b d".
  // r1: LCS(r1,c1) = {a,c}; LCS(r1,c2) = {b}; union {a,b,c} → 3 hits (each token once on both sides).
  // r2: LCS(r2,c1) = {}; LCS(r2,c2) = {d}; union {d} → 1 hit.
  // hits = 4; P = 4/4 = 1, R = 4/5 → F1 = 2·0.8/1.8 = 8/9.
  // Whole-text ROUGE-L on "a c b d" vs "a b c d e": LCS = 3 (a b d or a c d) → P 3/4, R 3/5, F1 = 2/3.
  it('computes summary-level ROUGE-Lsum with the union LCS', () => {
    const r = rouge(['a c.', 'b d.'], ['a b c.', 'd e.']);
    expect(r.rougeLsum.f1).toBeCloseTo(8 / 9, 6);
    expect(r.rougeL.f1).toBeCloseTo(2 / 3, 6);
  });

  it('scores zero for empty input instead of dividing by zero', () => {
    expect(rouge('', 'something here').rouge1.f1).toBe(0);
    expect(lcsLength([], ['a'])).toBe(0);
  });
});
