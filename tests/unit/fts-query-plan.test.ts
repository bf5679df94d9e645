import { describe, expect, it } from 'vitest';
import {
  CANDIDATE_POSTINGS,
  HEAD_POSTINGS,
  matchExpression,
  planCandidateQuery,
  planHeadQuery,
} from '../../src/brief/retrieval/fts-query-plan.ts';

const countsOf =
  (counts: Record<string, number>) =>
  (term: string): number =>
    counts[term] ?? 0;

describe('the FTS5 query plan', () => {
  it('quotes every term once, so words such as "or" and "near" never read as operators', () => {
    expect(matchExpression(['bridge', 'or', 'near', 'bridge'])).toBe('"bridge" OR "or" OR "near"');
  });

  it('matches headlines on the rarest terms while their postings stay within budget', () => {
    const headlines = countsOf({ harbour: 3, bridge: 40, city: HEAD_POSTINGS });
    expect(planHeadQuery(['city', 'bridge', 'harbour', 'absent'], headlines)).toBe('"harbour" OR "bridge"');
    // No term in any headline: no headline query at all.
    expect(planHeadQuery(['absent'], headlines)).toBeUndefined();
  });

  it('always takes the rarest term for candidates, leaves out common ones past the rarest two', () => {
    const passages = 100_000;
    const plan = planCandidateQuery(
      ['said', 'minister', 'harbour', 'bridge'],
      countsOf({ harbour: 10, bridge: 5_000, minister: 1_500, said: 20_000 }),
      passages,
    );
    // harbour (rarest) and minister (second rarest) always; bridge and said are in more than
    // 2% of passages, so left out.
    expect(plan).toEqual({ match: '"harbour" OR "minister"', ranked: true });
  });

  it('stops adding terms at the postings budget, and takes passages unranked when even the rarest is too common', () => {
    const passages = 10_000_000;
    const budgeted = planCandidateQuery(
      ['a1', 'b2', 'c3'],
      countsOf({ a1: 10_000, b2: 15_000, c3: 10_000 }),
      passages,
    );
    expect(budgeted).toEqual({ match: '"a1" OR "c3"', ranked: true });
    const tooCommon = planCandidateQuery(['said'], countsOf({ said: CANDIDATE_POSTINGS + 1 }), passages);
    expect(tooCommon).toEqual({ match: '"said"', ranked: false });
  });

  it('with no term in the index, matches every term (nothing will be found, nothing to rank)', () => {
    expect(planCandidateQuery(['absent', 'gone'], countsOf({}), 10)).toEqual({
      match: '"absent" OR "gone"',
      ranked: true,
    });
  });
});
