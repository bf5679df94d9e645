/**
 * Which of a question's terms go into the FTS5 queries. Ranking every passage or headline that
 * holds a common word costs the most at scale and picks near-arbitrary ones among thousands,
 * so each query takes the rarest terms first and stops at a budget of postings; a passage
 * holding only the commonest words of the question cannot outrank one holding a rare one.
 */

/** Headline postings the headline query may rank. */
export const HEAD_POSTINGS = 5_000;
/** Passages the candidate query may rank. */
export const CANDIDATE_POSTINGS = 30_000;
/** A term in more than this share of passages is left out of candidate generation... */
export const COMMON_SHARE = 0.02;
/** ...unless it is among the question's rarest few. */
export const MIN_CANDIDATE_TERMS = 2;

/** An FTS5 query matching any of the terms, each quoted so no term reads as an operator. */
export function matchExpression(terms: readonly string[]): string {
  return [...new Set(terms)].map((term) => `"${term}"`).join(' OR ');
}

/** `terms` present in the index (count above 0), rarest first. */
function rarestFirst(terms: readonly string[], count: (term: string) => number): string[] {
  return [...new Set(terms)].filter((term) => count(term) > 0).sort((a, b) => count(a) - count(b));
}

/**
 * The headline query: the rarest terms, as long as the headlines they match stay within
 * HEAD_POSTINGS. Undefined when no term is in any headline (no headline query).
 * `headlines(term)` is the number of titles plus entity lists holding it.
 */
export function planHeadQuery(
  terms: readonly string[],
  headlines: (term: string) => number,
): string | undefined {
  const chosen: string[] = [];
  let postings = 0;
  for (const term of rarestFirst(terms, headlines)) {
    postings += headlines(term);
    if (postings > HEAD_POSTINGS) break;
    chosen.push(term);
  }
  return chosen.length > 0 ? matchExpression(chosen) : undefined;
}

/**
 * The candidate query over passages, and whether FTS5 may rank every passage it matches. The
 * rarest term always; the next ones if rare enough (or among the rarest few) and while the
 * passages to rank stay within CANDIDATE_POSTINGS. When even the rarest term is in more
 * passages than that, the newest of them are taken unranked instead (ranking them all costs
 * over 100 ms at 100,000 articles). `passagesWith(term)` counts the passages holding it, of
 * `passages` in all.
 */
export function planCandidateQuery(
  terms: readonly string[],
  passagesWith: (term: string) => number,
  passages: number,
): { match: string; ranked: boolean } {
  const present = rarestFirst(terms, passagesWith);
  if (present.length === 0) return { match: matchExpression(terms), ranked: true };
  const chosen: string[] = [];
  let postings = 0;
  for (const [i, term] of present.entries()) {
    const df = passagesWith(term);
    if (i > 0 && !(i < MIN_CANDIDATE_TERMS || df <= passages * COMMON_SHARE)) continue;
    if (i > 0 && postings + df > CANDIDATE_POSTINGS) break;
    postings += df;
    chosen.push(term);
  }
  return { match: matchExpression(chosen), ranked: postings <= CANDIDATE_POSTINGS };
}
