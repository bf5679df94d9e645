import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FeedError, parseFeed } from '../../src/news/feed-parser.ts';

const rss = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>Example &amp; Co</title><link>https://example.test/</link>
<item>
  <title><![CDATA[Bridge <em>reopens</em> & traffic flows]]></title>
  <link>https://example.test/a?utm_source=rss</link>
  <guid isPermaLink="false">item-1</guid>
  <pubDate>Tue, 03 Mar 2026 10:00:00 +0100</pubDate>
  <description>&lt;p&gt;Teaser &amp;amp; more&lt;/p&gt;</description>
  <content:encoded><![CDATA[<p>Full text &amp; details</p>]]></content:encoded>
  <media:content url="https://example.test/a.jpg" medium="image"/>
  <dc:creator>Jane Doe</dc:creator>
</item>
<item><title>Second &#8220;item&#8221;</title><link>https://example.test/b</link><dc:date>2026-03-04T08:00:00Z</dc:date>
  <description><p>Unescaped <b>markup</b></p></description><media:thumbnail url="https://example.test/b.jpg"/></item>
</channel></rss>`;

describe('parseFeed: formats', () => {
  it('reads RSS 2.0 with CDATA, content:encoded, media, dc and RFC 822 dates', () => {
    const feed = parseFeed(rss);
    expect(feed).toMatchObject({ title: 'Example & Co', link: 'https://example.test/' });
    expect(feed.items[0]).toEqual({
      title: 'Bridge reopens & traffic flows',
      link: 'https://example.test/a?utm_source=rss',
      guid: 'item-1',
      publishedAt: '2026-03-03T09:00:00.000Z',
      summaryHtml: '<p>Teaser &amp; more</p>',
      contentHtml: '<p>Full text &amp; details</p>',
      imageUrl: 'https://example.test/a.jpg',
      author: 'Jane Doe',
    });
    expect(feed.items[1]).toMatchObject({
      title: 'Second “item”',
      publishedAt: '2026-03-04T08:00:00.000Z',
      summaryHtml: '<p>Unescaped <b>markup</b></p>',
      imageUrl: 'https://example.test/b.jpg',
    });
  });

  it('reads Atom with html and xhtml content', () => {
    const atom = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom news</title>
      <link rel="self" href="https://a.test/feed"/><link href="https://a.test/"/>
      <entry><title type="html">One &amp;amp; two</title><link rel="alternate" href="https://a.test/1"/><id>tag:a.test,2026:1</id>
      <updated>2026-03-01T12:00:00Z</updated><summary type="html">&lt;p&gt;Short&lt;/p&gt;</summary>
      <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Rich &amp; full</p></div></content>
      <author><name>Bob</name></author></entry></feed>`;
    const feed = parseFeed(atom);
    expect(feed.title).toBe('Atom news');
    expect(feed.link).toBe('https://a.test/');
    expect(feed.items[0]).toMatchObject({
      link: 'https://a.test/1',
      guid: 'tag:a.test,2026:1',
      publishedAt: '2026-03-01T12:00:00.000Z',
      summaryHtml: '<p>Short</p>',
      author: 'Bob',
    });
    expect(feed.items[0]?.contentHtml).toContain('<p>Rich &amp; full</p>');
  });

  it('reads JSON Feed, by body or by content type', () => {
    const json = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'JSON news',
      items: [
        {
          id: 7,
          url: 'https://j.test/7',
          title: 'Seven',
          content_text: 'Para one.\n\nPara two.',
          date_published: '2026-03-02T10:00:00Z',
        },
        { bogus: true, id: {} },
      ],
    });
    const feed = parseFeed(json, 'application/feed+json');
    expect(feed.title).toBe('JSON news');
    expect(feed.items).toEqual([
      {
        title: 'Seven',
        link: 'https://j.test/7',
        guid: '7',
        publishedAt: '2026-03-02T10:00:00.000Z',
        contentHtml: '<p>Para one.</p>\n<p>Para two.</p>',
      },
    ]);
  });
});

describe('parseFeed: bad input is a FeedError with a clear message', () => {
  it('rejects an empty body', () => {
    expect(() => parseFeed('  \n')).toThrow(new FeedError('not a feed: the body is empty'));
  });

  it('rejects an HTML page served as a feed', () => {
    expect(() =>
      parseFeed('<!DOCTYPE html><html><head><title>Home</title></head><body>Hi</body></html>'),
    ).toThrow(/not a feed: looks like an HTML page/);
  });

  it('rejects malformed XML', () => {
    expect(() => parseFeed('<rss><channel><item><title>x</channel></rss>')).toThrow(/malformed XML/);
  });

  it("says which elements a cut-off feed left open instead of the parser's raw tag list", () => {
    let message = '';
    try {
      parseFeed('<rss><channel><item><title>Bridge repairs');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      'not a feed: malformed XML: the document ends with <rss>, <channel>, <item>, <title> left open (cut off?)',
    );
  });

  it('refuses entity expansion (billion laughs) without expanding it', () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]><rss><channel><title>&lol9;</title></channel></rss>`;
    // Refused at the declaration: an expanded &lol9; would be a billion characters.
    expect(() => parseFeed(laughs)).toThrow(FeedError);
    expect(() => parseFeed(laughs)).toThrow(/refused/);
  });

  it('refuses an external entity and never reads the file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'herald-xxe-'));
    const secret = path.join(dir, 'secret.txt');
    writeFileSync(secret, 'TOP-SECRET-CONTENT');
    const xxe = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://${secret}">]><rss><channel><title>&xxe;</title></channel></rss>`;
    let message = '';
    try {
      parseFeed(xxe);
    } catch (error) {
      message = (error as Error).message;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(message).toMatch(/refused/);
    expect(message).not.toContain('TOP-SECRET');
    // Without a DOCTYPE declaration an entity reference is left as written, never resolved.
    const feed = parseFeed('<rss><channel><title>&xxe; &amp; &#65;</title></channel></rss>');
    expect(feed.title).toBe('&xxe; & A');
  });

  it('rejects XML that is not a feed and JSON that is not a JSON Feed', () => {
    expect(() => parseFeed('<note><to>x</to></note>')).toThrow(/XML root is <note>/);
    expect(() => parseFeed('{"hello": 1}')).toThrow(/JSON Feed/);
    expect(() => parseFeed('{broken')).toThrow(/malformed JSON/);
  });
});
