/**
 * "Did you mean …?" for a name a reader typed: the closest known name within a small number of
 * edits (insertions, deletions, substitutions and swaps of neighbouring letters), compared
 * without case. Short words get fewer edits, so "Sport" does not suggest "Spain".
 */

/** Edits allowed for a typed word of this length: none under 4 letters, one under 8, else two. */
function allowedEdits(length: number): number {
  if (length < 4) return 0;
  return length < 8 ? 1 : 2;
}

/**
 * Optimal string alignment distance between `a` and `b`, or `limit + 1` as soon as it is known
 * to exceed `limit` (a row whose smallest cell is over the limit cannot come back under it).
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let rowBest = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let cell = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        cell = Math.min(cell, (before[j - 2] as number) + 1);
      current.push(cell);
      rowBest = Math.min(rowBest, cell);
    }
    if (rowBest > limit) return limit + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length] as number;
}

/** The known name nearest to `typed` within the allowed edits; ties go to the earlier name. */
export function closestSpelling(typed: string, known: Iterable<string>): string | undefined {
  const wanted = typed.trim().toLocaleLowerCase();
  const limit = allowedEdits(wanted.length);
  if (limit === 0) return undefined;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const name of known) {
    const distance = editDistance(wanted, name.toLocaleLowerCase(), limit);
    if (distance > 0 && distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}
