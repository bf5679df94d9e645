import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractArticleFromHtml, htmlToParagraphs } from '../../src/news/html-extract.ts';

const page = `<!doctype html><html><head><title>Site | Bridge</title>
<link rel="canonical" href="/news/bridge?utm_source=x#top">
<meta property="og:title" content="Harbour bridge reopens after repairs">
<meta property="og:image" content="/img/bridge.jpg">
<meta property="article:published_time" content="2026-03-03T10:00:00+01:00">
<meta name="author" content="Jane Doe">
<script>document.title = 'pwned'</script></head>
<body onload="steal()">
<nav><a href="/">Home</a><a href="/world">World</a></nav>
<div id="cookie-consent"><p>We use cookies to improve your experience.</p><button>Accept all</button></div>
<article>
  <h1>Harbour bridge reopens after repairs</h1>
  <div class="share-buttons"><a>Share this article</a><a>Facebook</a></div>
  <p>NORTHPORT — The harbour bridge reopened to traffic on Tuesday after eight months of repairs to its steel deck, the city said.</p>
  <p onclick="evil()">Engineers replaced 2,400 rivets and repainted the whole structure, and the work finished two weeks ahead of schedule.</p>
  <p>Advertisement</p>
  <p>Cyclists will get a separate lane from next month, a change residents had campaigned for since the bridge opened in 1961.</p>
  <div class="newsletter"><p>Sign up for our newsletter for the day's news in your inbox.</p></div>
  <h3>Related Posts</h3><ul><li>Another story</li></ul>
</article>
<aside><h3>Most read</h3><p>Something else entirely.</p></aside>
<footer>Copyright © 2026 Example News. All rights reserved.</footer>
</body></html>`;

describe('extractArticleFromHtml', () => {
  it('extracts the body and metadata and strips page chrome', () => {
    const article = extractArticleFromHtml(page, 'https://news.example/news/bridge?fbclid=abc');
    expect(article).toEqual({
      title: 'Harbour bridge reopens after repairs',
      dateline: 'NORTHPORT',
      byline: 'Jane Doe',
      url: 'https://news.example/news/bridge',
      publishedAt: '2026-03-03T09:00:00.000Z',
      imageUrl: 'https://news.example/img/bridge.jpg',
      paragraphs: [
        'The harbour bridge reopened to traffic on Tuesday after eight months of repairs to its steel deck, the city said.',
        'Engineers replaced 2,400 rivets and repainted the whole structure, and the work finished two weeks ahead of schedule.',
        'Cyclists will get a separate lane from next month, a change residents had campaigned for since the bridge opened in 1961.',
      ],
    });
  });

  it('reads a page written with capital attribute names (older sites) exactly as the same page in lower case', () => {
    const shouted = page.replace(
      / (property|content|name|rel|href|class|id)=/g,
      (_m, attribute: string) => ` ${attribute.toUpperCase()}=`,
    );
    expect(shouted).toContain('<meta PROPERTY="og:title" CONTENT=');
    expect(extractArticleFromHtml(shouted, 'https://news.example/news/bridge?fbclid=abc')).toEqual(
      extractArticleFromHtml(page, 'https://news.example/news/bridge?fbclid=abc'),
    );
  });

  it('uses og:url when there is no canonical link, and the page URL when neither exists', () => {
    const og =
      '<html><head><meta property="og:url" content="https://n.test/x?utm_medium=social"></head><body><p>Text of a story.</p></body></html>';
    expect(extractArticleFromHtml(og, 'https://n.test/x?a=1').url).toBe('https://n.test/x');
    expect(extractArticleFromHtml('<p>Text</p>', 'https://n.test/y/').url).toBe('https://n.test/y');
  });

  it('ignores a canonical link that is not http(s)', () => {
    const html =
      '<html><head><link rel="canonical" href="javascript:alert(1)"></head><body><p>Text of a story.</p></body></html>';
    expect(extractArticleFromHtml(html, 'https://n.test/z').url).toBe('https://n.test/z');
  });

  it('survives hostile markup: deep nesting and scripts produce text only', () => {
    const deep = `<html><body>${'<div>'.repeat(5000)}<p>deep</p>${'</div>'.repeat(5000)}<p>A visible paragraph that is long enough to keep.</p><script>throw new Error('ran')</script><img src=x onerror="throw 1"></body></html>`;
    const article = extractArticleFromHtml(deep);
    expect(article.paragraphs).toContain('A visible paragraph that is long enough to keep.');
    expect(JSON.stringify(article)).not.toMatch(/ran|onerror/);
  });

  it('extracts a bundled sample page', () => {
    const html = readFileSync(
      new URL('../../config/sample-news/lumen-six-minute-battery.html', import.meta.url),
      'utf8',
    );
    const article = extractArticleFromHtml(html);
    expect(article.url).toBe('https://news.herald-sample.example/tech/lumen-six-minute-battery');
    expect(article.dateline).toBe('KESSEL CITY');
    const text = article.paragraphs.join('\n');
    expect(text).not.toMatch(/cookies|Sign up|Related Posts|Copyright|Advertisement|Share/);
    expect(article.paragraphs).toHaveLength(5);
  });
});

describe('htmlToParagraphs', () => {
  it('yields innermost blocks once, and splits <br>-only text', () => {
    expect(htmlToParagraphs('<blockquote><p>Quote</p></blockquote><p>One</p><ul><li>Two</li></ul>')).toEqual([
      'Quote',
      'One',
      'Two',
    ]);
    expect(htmlToParagraphs('Line one<br>Line &amp; two')).toEqual(['Line one', 'Line & two']);
  });
});
