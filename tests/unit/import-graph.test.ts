// Areas are the top-level folders of src/ (news, brief, digest, ...), each read as one whole:
// `npm run check:deps` (dependency-cruiser) forbids cycles between files and between folders,
// and this test forbids them between areas, where a cycle can pass through a subfolder
// (news -> brief/topics while brief -> news).
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';
import { importCycles, type ImportEdge } from '../support/import-cycles.ts';

/** src/<area>/ for each area, src/<file> for files at the top of src/, and commands/. */
const AREA = '^(src/[^/]+/|commands/)';

async function areaEdges(): Promise<ImportEdge[]> {
  const { output } = await cruise(['src', 'commands'], {
    includeOnly: '^(src|commands)/',
    // The entry imports everything and nothing imports it (an ESLint rule keeps it so).
    exclude: { path: '^src/main\\.ts$' },
    tsPreCompilationDeps: true,
    collapse: AREA,
  });
  const result = output as ICruiseResult;
  return result.modules.flatMap((module) =>
    module.dependencies.map((dependency): ImportEdge => [module.source, dependency.resolved]),
  );
}

describe('the import graph', () => {
  it('has no cycle between areas of src/ and commands/', async () => {
    const edges = await areaEdges();
    // The cruise saw the areas (an empty graph would pass vacuously).
    expect(edges).toContainEqual(['src/brief/', 'src/news/']);
    expect(importCycles(edges)).toEqual([]);
  });

  it('the cycle finder reports a cycle through several nodes and ignores a graph without one', () => {
    expect(
      importCycles([
        ['news', 'store'],
        ['brief', 'news'],
        ['store', 'errors'],
        ['news', 'brief'],
        ['feeds', 'brief'],
      ]),
    ).toEqual([['brief', 'news']]);
    expect(
      importCycles([
        ['a', 'b'],
        ['b', 'c'],
        ['c', 'a'],
        ['c', 'd'],
      ]),
    ).toEqual([['a', 'b', 'c']]);
    expect(
      importCycles([
        ['a', 'b'],
        ['a', 'c'],
        ['b', 'c'],
      ]),
    ).toEqual([]);
  });
});
