import { describe, expect, it } from 'vitest';
import {
  articleIdentity,
  canonicalizeUrl,
  contentHash,
  dropSharedIdentifiers,
  normalizeGuid,
} from '../../src/news/identity.ts';
import { prepareArticles } from '../../src/news/pipeline.ts';

describe('canonicalizeUrl', () => {
  it('lower-cases the host, drops fragment, tracking params and default port, sorts the query', () => {
    expect(
      canonicalizeUrl(
        'HTTPS://News.Example.COM:443/World/Story/?utm_source=rss&b=2&fbclid=x&a=1&gclid=y&mc_cid=1&mc_eid=2&ref=home&cmpid=9#comments',
      ),
    ).toBe('https://news.example.com/World/Story?a=1&b=2');
    expect(canonicalizeUrl('http://example.com:80/')).toBe('http://example.com/');
  });

  it('resolves relative links and refuses non-http schemes', () => {
    expect(canonicalizeUrl('/a/b/', 'https://x.test/c')).toBe('https://x.test/a/b');
    expect(canonicalizeUrl('javascript:alert(1)')).toBeUndefined();
    expect(canonicalizeUrl('not a url')).toBeUndefined();
  });
});

describe('articleIdentity', () => {
  const hash = contentHash(['Some body text.']);

  it('is the same for a re-fetched link with tracking parameters', () => {
    expect(articleIdentity({ url: 'https://n.test/a?utm_campaign=x', contentHash: hash })).toBe(
      articleIdentity({ url: 'https://n.test/a', contentHash: 'other' }),
    );
  });

  it('prefers the URL, then the GUID, then the content hash', () => {
    expect(articleIdentity({ url: 'https://n.test/a', guid: 'g', contentHash: hash })).toMatch(
      /^u-[0-9a-f]{16}$/,
    );
    expect(articleIdentity({ guid: 'g', contentHash: hash })).toMatch(/^g-[0-9a-f]{16}$/);
    expect(articleIdentity({ contentHash: hash })).toBe(`h-${hash.slice(0, 16)}`);
  });

  it('treats a GUID whose query string changed as the same', () => {
    const a = articleIdentity({ guid: 'https://n.test/?p=123', contentHash: hash });
    expect(articleIdentity({ guid: 'https://n.test/?utm_source=feed&p=123', contentHash: hash })).toBe(a);
    expect(articleIdentity({ guid: 'https://n.test/?p=124', contentHash: hash })).not.toBe(a);
    expect(normalizeGuid('tag:n.test,2026:55?ref=rss')).toBe('tag:n.test,2026:55');
  });
});

describe('contentHash', () => {
  it('ignores case, punctuation, quote style and spacing but not words', () => {
    expect(contentHash(['The “bridge” reopened.', 'Traffic flows'])).toBe(
      contentHash(['the "bridge"  reopened', 'traffic flows!']),
    );
    expect(contentHash(['The bridge reopened.'])).not.toBe(contentHash(['The bridge closed.']));
  });
});

const body = (n: number): string =>
  `<p>${`Story number ${n} has its own words and sentences about event ${n}. `.repeat(8)}</p>`;
const feed = (items: string): string =>
  `<rss version="2.0"><channel><title>F</title><link>https://f.test/</link>${items}</channel></rss>`;

describe('identity in feeds', () => {
  it('yields each distinct item once when all items share one GUID', () => {
    const items = [1, 2, 3, 2]
      .map(
        (n) =>
          `<item><title>T${n}</title><guid>same-guid</guid><description><![CDATA[${body(n)}]]></description></item>`,
      )
      .join('');
    const result = prepareArticles([{ kind: 'feed', body: feed(items), sourceName: 'F' }]);
    expect(result.articles.map((a) => a.article.title)).toEqual(['T1', 'T2', 'T3']);
    expect(new Set(result.articles.map((a) => a.id)).size).toBe(3);
    expect(result.skipped).toMatchObject([{ title: 'T2', reason: 'duplicate-in-batch' }]);
  });

  it('drops only the shared identifiers', () => {
    const out = dropSharedIdentifiers([
      { guid: 'x', url: 'https://a.test/1' },
      { guid: 'x', url: 'https://a.test/2' },
      { guid: 'y', url: 'https://a.test/2?utm_source=z' },
    ]);
    expect(out).toEqual([{ url: 'https://a.test/1' }, {}, { guid: 'y' }]);
  });

  it('gives a re-fetched, re-dated item the same id', () => {
    const item = (date: string, link: string): string =>
      feed(
        `<item><title>T</title><link>${link}</link><pubDate>${date}</pubDate><content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/"><![CDATA[${body(1)}]]></content:encoded></item>`,
      );
    const first = prepareArticles([
      { kind: 'feed', body: item('Mon, 02 Mar 2026 10:00:00 GMT', 'https://f.test/a'), sourceName: 'F' },
    ]);
    const again = prepareArticles([
      {
        kind: 'feed',
        body: item('Wed, 04 Mar 2026 12:00:00 GMT', 'https://f.test/a?utm_source=rss&amp;utm_medium=feed'),
        sourceName: 'F',
      },
    ]);
    expect(again.articles[0]?.id).toBe(first.articles[0]?.id);
    expect(again.articles[0]?.article.publishedAt).not.toBe(first.articles[0]?.article.publishedAt);
  });
});
