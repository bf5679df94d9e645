import { describe, expect, it } from 'vitest';
import { planStories, prepareArticles, type PreparedArticle } from '../../src/news/pipeline.ts';
import { createStoryMatcher } from '../../src/news/story-merge.ts';

const WORDS = [
  'harbour',
  'council',
  'ferry',
  'timetable',
  'winter',
  'crews',
  'union',
  'fares',
  'mayor',
  'budget',
  'storm',
  'coast',
  'port',
  'cargo',
  'schedule',
  'vote',
];

/** A 70-word body; copy n changes one word (a different one each time, as an edit would). */
function copyBody(n: number): string[] {
  const words = Array.from({ length: 70 }, (_, i) => WORDS[(i * 7) % WORDS.length] ?? 'x');
  words[n % words.length] = `edit${n}`;
  return [words.slice(0, 35).join(' ') + '.', words.slice(35).join(' ') + '.'];
}

function prepared(id: string, title: string, paragraphs: string[], needsFullText = false): PreparedArticle {
  return {
    article: { title, paragraphs, url: `https://wire.example/${id}` },
    id: `u-${id}`,
    contentHash: `h-${id}`,
    sourceName: 'Wire',
    inputIndex: 0,
    needsFullText,
  };
}

describe('near-duplicate detection at scale', () => {
  it('merges 10,000 copies that differ by one word into one story', () => {
    const articles = Array.from({ length: 10_000 }, (_, n) =>
      prepared(`copy-${n}`, `Harbour council story, version ${n}`, copyBody(n)),
    );
    const decisions = planStories(articles, { matcher: createStoryMatcher(), findStored: () => undefined });
    const stories = new Set(decisions.map((d) => (d.kind === 'already-stored' ? d.storedId : d.storyId)));
    expect(stories.size).toBe(1);
    expect(decisions.filter((d) => d.kind === 'merge')).toHaveLength(9_999);
  });

  it('still tells different stories apart after one story was copied thousands of times', () => {
    const matcher = createStoryMatcher();
    for (let n = 0; n < 3_000; n++)
      matcher.add('s-copied', { title: 'Harbour council', paragraphs: copyBody(n) });
    const other = Array.from(
      { length: 4 },
      (_, i) =>
        `Paragraph ${i}: the observatory on Mount Sella photographed a comet that astronomers had not catalogued before this week.`,
    );
    matcher.add('s-comet', { title: 'Comet seen', paragraphs: other });
    expect(matcher.findMatch({ paragraphs: copyBody(99_999) })?.storyId).toBe('s-copied');
    expect(matcher.findMatch({ paragraphs: other.slice(1) })?.storyId).toBe('s-comet');
  });
});

describe('a stock line shared by different stories', () => {
  const stock =
    'The Caldera regional assembly meets every Tuesday in the old customs house, and its sessions are open to the public and carried live on local radio.';
  const feed = `<?xml version="1.0"?><rss version="2.0"><channel><title>Daily Ledger</title><link>https://ledger.example/</link>
    <item><title>Council approves the harbour budget</title><link>https://ledger.example/budget</link><description>${stock}</description></item>
    <item><title>Storm closes coastal road near Caldera</title><link>https://ledger.example/storm</link><description>${stock}</description></item>
    <item><title>Museum reopens its textile wing</title><link>https://ledger.example/museum</link><description>${stock}</description></item>
  </channel></rss>`;

  it('keeps three teasers with distinct titles and links as three stories', () => {
    const result = prepareArticles([
      { kind: 'feed', body: feed, sourceName: 'Daily Ledger', url: 'https://ledger.example/feed' },
    ]);
    expect(result.skipped).toEqual([]);
    expect(result.articles).toHaveLength(3);
    const decisions = planStories(result.articles, {
      matcher: createStoryMatcher(),
      findStored: () => undefined,
    });
    expect(decisions.map((d) => d.kind)).toEqual(['new-story', 'new-story', 'new-story']);
  });

  it('still merges a short copy of a story whose headline names the same thing', () => {
    const matcher = createStoryMatcher();
    const lede =
      'Brightwater Foods will buy the Ostlund Dairy cooperative for 410 million crowns, the two companies said on Monday, ending months of talks.';
    matcher.add('s-dairy', {
      title: 'Brightwater to buy Ostlund Dairy',
      paragraphs: [lede, 'The deal still needs the approval of the competition authority.'],
    });
    expect(matcher.findMatch({ title: 'Ostlund Dairy sold in 410m deal', paragraphs: [lede] })?.storyId).toBe(
      's-dairy',
    );
    expect(
      matcher.findMatch({ title: 'Museum reopens its textile wing', paragraphs: [lede] }),
    ).toBeUndefined();
  });
});
