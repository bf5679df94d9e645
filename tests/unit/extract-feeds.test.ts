import { describe, expect, it } from 'vitest';
import { FeedError, parseFeed } from '../../src/news/feed-parser.ts';
import { prepareArticles } from '../../src/news/pipeline.ts';
import { cleanParagraphs, wordCount } from '../../src/news/text-clean.ts';

const item = (title: string, description: string, link = 'https://n.test/a'): string =>
  `<item><title>${title}</title><link>${link}</link><description>${description}</description></item>`;
const rss = (items: string, prolog = ''): string =>
  `${prolog}<rss version="2.0"><channel><title>Feed</title>${items}</channel></rss>`;

describe('entity declarations anywhere in a DOCTYPE are refused', () => {
  const refused = (body: string): void => {
    expect(() => parseFeed(body)).toThrow(FeedError);
    expect(() => parseFeed(body)).toThrow(/declares XML entities/);
  };

  it('refuses an entity declared after a comment inside the DTD', () => {
    refused(
      rss(
        item('&lol;', 'x'),
        '<?xml version="1.0"?><!DOCTYPE rss [ <!-- <a>comment</a> --> <!ENTITY lol "lol"> ]>',
      ),
    );
  });

  it('refuses an entity when a comment before the DOCTYPE holds markup', () => {
    refused(
      rss(
        item('&lol;', 'x'),
        '<?xml version="1.0"?><!-- <b>hello</b> --><!DOCTYPE rss [ <!ENTITY lol "lol"> ]>',
      ),
    );
  });

  it('refuses a parameter entity and an external entity', () => {
    refused(rss(item('x', 'x'), '<!DOCTYPE rss [ <!ENTITY % p SYSTEM "file:///etc/passwd"> %p; ]>'));
    refused(
      rss(item('&x;', 'x'), '<!DOCTYPE rss SYSTEM "x.dtd" [ <!ENTITY x SYSTEM "http://evil.test/"> ]>'),
    );
  });

  it('still reads a feed whose item text mentions <!ENTITY inside CDATA', () => {
    const feed = parseFeed(
      rss(item('XML tips', '<![CDATA[<p>Write <!ENTITY name "value"> in a DTD.</p>]]>'), '<!DOCTYPE rss>'),
    );
    expect(feed.items[0]?.title).toBe('XML tips');
  });
});

describe('Atom xml:base', () => {
  it('resolves relative links against the entry and feed xml:base', () => {
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.test/news/"><title>Blog</title>
      <entry><title>One</title><id>1</id><link href="2026/one.html"/></entry>
      <entry xml:base="/archive/"><title>Two</title><id>2</id><link rel="alternate" href="two.html"/></entry>
      <entry><title>Three</title><id>3</id><link href="https://other.test/three"/></entry></feed>`;
    expect(parseFeed(atom).items.map((entry) => entry.link)).toEqual([
      'https://blog.test/news/2026/one.html',
      'https://blog.test/archive/two.html',
      'https://other.test/three',
    ]);
  });
});

describe('feed titles and boilerplate', () => {
  it('decodes character references left in titles after XML decoding', () => {
    const feed = parseFeed(rss(item('Flat for rent &amp;#x0024;1200 &amp;amp; up', 'x')));
    expect(feed.items[0]?.title).toBe('Flat for rent $1200 & up');
    expect(parseFeed(rss(item('R&amp;D &amp;notation stays', 'x'))).items[0]?.title).toBe(
      'R&D &notation stays',
    );
  });

  it("removes aggregators' footers and Related: lines by general rules", () => {
    expect(
      cleanParagraphs([
        'The council approved the new budget on Tuesday.',
        'submitted by someone to news [link] [275 comments]',
        'submitted bysomeonetonews[link][12 comments]',
        '[link] [3 comments]',
        'Related: Council budget vote delayed again',
      ]),
    ).toEqual(['The council approved the new budget on Tuesday.']);
  });
});

describe('short feed items are short stories', () => {
  it('keeps short items with and without links, marking linked ones for their page', () => {
    const body = rss(
      item(
        'Red Hat gibt WildFly 10 frei',
        'Die Version 10 des Java-Servers ist da.',
        'https://n.test/wildfly',
      ) +
        `<item><title>Kurzmeldung ohne Link</title><guid isPermaLink="false">k1</guid><description>Der Server ist da.</description></item>`,
    );
    const result = prepareArticles([{ kind: 'feed', body, sourceName: 'Heise' }]);
    expect(result.skipped).toEqual([]);
    expect(result.articles.map((a) => [a.article.title, a.needsFullText])).toEqual([
      ['Red Hat gibt WildFly 10 frei', true],
      ['Kurzmeldung ohne Link', false],
    ]);
  });

  it('counts words in scripts written without spaces', () => {
    expect(wordCount('東京都は今日、新しい防災計画を発表しました。')).toBeGreaterThan(8);
    expect(wordCount('The council approved the budget')).toBe(5);
  });
});
