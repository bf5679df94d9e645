import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSampleNews, sourceNameFromFile } from '../../src/news/sample-news.ts';
import { planStories, prepareArticles, upgradeTeaser } from '../../src/news/pipeline.ts';
import { createStoryMatcher } from '../../src/news/story-merge.ts';

const sampleDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../config/sample-news');

describe('prepareArticles on the bundled sample news', () => {
  const inputs = loadSampleNews(sampleDir);
  const result = prepareArticles(inputs);

  it('reads every sample file without failures', () => {
    expect(inputs.map((input) => input.kind)).toEqual([
      'feed',
      'html',
      'html',
      'html',
      'text',
      'text',
      'text',
      'text',
    ]);
    expect(result.failures).toEqual([]);
    expect(result.articles).toHaveLength(11);
  });

  it('replaces feed teasers with their full pages and keeps the feed metadata', () => {
    const battery = result.articles.find((a) => a.article.url?.endsWith('/tech/lumen-six-minute-battery'));
    expect(battery?.needsFullText).toBe(false);
    expect(battery?.sourceName).toBe('Sample Feed');
    expect(battery?.article.guid).toBe('herald-sample-0002');
    expect(battery?.article.paragraphs.length).toBe(5);
    expect(result.articles.every((a) => !a.needsFullText)).toBe(true);
    expect(result.skipped.map((s) => s.reason)).toEqual([
      'duplicate-in-batch',
      'duplicate-in-batch',
      'duplicate-in-batch',
    ]);
  });

  it('merges the two syndicated copies into one story and keeps the other Caldera story apart', () => {
    const decisions = planStories(result.articles, {
      matcher: createStoryMatcher(),
      findStored: () => undefined,
    });
    const merges = decisions.filter((d) => d.kind === 'merge');
    expect(merges).toHaveLength(1);
    expect(merges[0]?.prepared.sourceName).toBe('Valley Dispatch');
    const strike = decisions.find((d) => d.prepared.sourceName === 'Coastline Courier');
    expect(merges[0]).toMatchObject({ storyId: strike && 'storyId' in strike ? strike.storyId : 'missing' });
    expect(decisions.filter((d) => d.kind === 'new-story')).toHaveLength(10);
  });

  it('reports already stored articles instead of re-adding them', () => {
    const stored = new Set(result.articles.slice(0, 3).map((a) => a.id));
    const decisions = planStories(result.articles, {
      matcher: createStoryMatcher(),
      findStored: (p) => (stored.has(p.id) ? p.id : undefined),
    });
    expect(decisions.filter((d) => d.kind === 'already-stored')).toHaveLength(3);
  });
});

describe('prepareArticles edge cases', () => {
  it('reports a bad feed as a failure and still reads the other inputs', () => {
    const result = prepareArticles([
      { kind: 'feed', body: '<html><body>oops</body></html>', sourceName: 'Broken' },
      {
        kind: 'text',
        body: `Headline here\n${'A body sentence with enough words to keep it. '.repeat(6)}`,
        sourceName: 'Paste',
      },
    ]);
    expect(result.failures).toEqual([
      { inputIndex: 0, sourceName: 'Broken', message: 'not a feed: looks like an HTML page' },
    ]);
    expect(result.articles).toHaveLength(1);
  });

  it('skips empty and too-short text with reasons', () => {
    const result = prepareArticles([
      { kind: 'text', body: 'Share this article\n© 2026 X', sourceName: 'A' },
      { kind: 'text', body: 'Headline\nToo short a body.', sourceName: 'B' },
    ]);
    expect(result.skipped.map((s) => s.reason)).toEqual(['empty', 'too-short']);
  });

  it('marks a lone teaser for fetching, and upgradeTeaser honours the page canonical', () => {
    const feed =
      '<rss><channel><title>F</title><item><title>Teaser</title><link>https://f.test/a</link><guid>g1</guid><description>Short teaser.</description></item></channel></rss>';
    const [teaser] = prepareArticles([{ kind: 'feed', body: feed, sourceName: 'F' }]).articles;
    expect(teaser?.needsFullText).toBe(true);
    if (!teaser) return;
    const full = upgradeTeaser(teaser, {
      title: 'Page title',
      url: 'https://f.test/canonical-a',
      paragraphs: ['Full text paragraph.'],
    });
    expect(full).toMatchObject({
      needsFullText: false,
      sourceName: 'F',
      article: { title: 'Teaser', guid: 'g1', url: 'https://f.test/canonical-a' },
    });
    expect(full.id).not.toBe(teaser.id);
  });

  it('names sources after sample files', () => {
    expect(sourceNameFromFile('harbor-gazette--bridge.txt')).toBe('Harbor Gazette');
  });
});
