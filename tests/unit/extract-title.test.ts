import { describe, expect, it } from 'vitest';
import { extractArticleFromHtml } from '../../src/news/html-extract.ts';

const body =
  '<p>The river authority opened the new flood gates on Monday after three years of construction work on the valley floor.</p>';

function titleOf(head: string, h1 = '', url = 'https://www.valleypost.example/local/gates'): string {
  return extractArticleFromHtml(
    `<!doctype html><html><head>${head}</head><body><article>${h1}${body}</article></body></html>`,
    url,
  ).title;
}

describe('page titles by agreement of what the page says about itself', () => {
  it("takes the site's name off og:title and <title> when a headline remains", () => {
    const head =
      '<meta property="og:site_name" content="Valley Post"><meta property="og:title" content="River authority opens the new flood gates - Valley Post"><title>River authority opens the new flood gates | Valley Post</title>';
    expect(titleOf(head)).toBe('River authority opens the new flood gates');
  });

  it('prefers the headline most claims agree on over a section heading in the h1', () => {
    const head = '<title>River authority opens the new flood gates | Local News | Valley Post</title>';
    expect(titleOf(head, '<h1>Local News</h1>')).toBe('River authority opens the new flood gates');
  });

  it('takes the part of the <title> that the h1 repeats, dropping a section prefix', () => {
    const head = '<title>Local News: Weather | Flood gates open after three years | Valley Post</title>';
    expect(titleOf(head, '<h1>Flood gates open after three years</h1>')).toBe(
      'Flood gates open after three years',
    );
  });

  it('lets JSON-LD and the h1 outvote a different og:title, JSON-LD in CDATA included', () => {
    const ld =
      '<script type="application/ld+json"><![CDATA[{"@context":"https://schema.org","@type":"NewsArticle","headline":"Flood gates open after three years of work"}]]></script>';
    const head = `${ld}<meta property="og:title" content="You will not believe these flood gates">`;
    expect(titleOf(head, '<h1>Flood gates open after three years of work</h1>')).toBe(
      'Flood gates open after three years of work',
    );
  });

  it('keeps a short title whole rather than leave one word without the site name', () => {
    expect(titleOf('<title>Gates - Valley Post</title>')).toBe('Gates - Valley Post');
  });

  it('decodes character references left in a title', () => {
    expect(
      titleOf('<meta property="og:title" content="Fish &amp;amp; chips cost &#x0024;5 at the new gates">'),
    ).toBe('Fish & chips cost $5 at the new gates');
  });
});
