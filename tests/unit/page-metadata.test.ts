import { describe, expect, it } from 'vitest';
import { extractArticleFromHtml } from '../../src/news/html-extract.ts';
import { parseDeclaredDate } from '../../src/news/page-metadata.ts';

const text = Array.from(
  { length: 5 },
  (_, i) =>
    `<p>Paragraph ${i + 1}: the county opened its new flood barrier after three years of building work on the river.</p>`,
).join('');
const pageWith = (head: string, bodyExtra = ''): string =>
  `<html><head><title>Flood barrier opens</title>${head}</head><body><article><h1>Flood barrier opens</h1>${bodyExtra}${text}</article></body></html>`;

describe('published dates a page declares', () => {
  it('reads JSON-LD datePublished, with its offset', () => {
    const article = extractArticleFromHtml(
      pageWith(
        '<script type="application/ld+json">{"@context":"http://schema.org","@type":"NewsArticle","headline":"Flood barrier opens","datePublished":"2015-07-24T05:36:09+01:00","dateModified":"2015-07-25T10:00:00+01:00"}</script>',
      ),
    );
    expect(article.publishedAt).toBe('2015-07-24T04:36:09.000Z');
  });

  it('trusts JSON-LD over article:published_time over <time> over Dublin Core', () => {
    const ld =
      '<script type="application/ld+json">{"@graph":[{"@type":"WebPage","name":"x"},{"@type":"NewsArticle","headline":"Flood barrier opens","datePublished":"2020-01-01T10:00:00Z"}]}</script>';
    const og = '<meta property="article:published_time" content="2020-02-02T10:00:00Z">';
    const dc = '<meta name="DC.date.issued" content="2020-04-04">';
    const time = '<time datetime="2020-03-03T10:00:00Z">3 March</time>';
    expect(extractArticleFromHtml(pageWith(ld + og + dc, time)).publishedAt).toBe('2020-01-01T10:00:00.000Z');
    expect(extractArticleFromHtml(pageWith(og + dc, time)).publishedAt).toBe('2020-02-02T10:00:00.000Z');
    expect(extractArticleFromHtml(pageWith(dc, time)).publishedAt).toBe('2020-03-03T10:00:00.000Z');
    expect(extractArticleFromHtml(pageWith(dc)).publishedAt).toBe('2020-04-04T00:00:00.000Z');
    expect(extractArticleFromHtml(pageWith('')).publishedAt).toBeUndefined();
  });

  it('reads the date forms publishing systems write', () => {
    expect(parseDeclaredDate('2021-11-01T10:52:50+0100')).toBe('2021-11-01T09:52:50.000Z');
    expect(parseDeclaredDate('2017-11-03 03:01:00.000000')).toBe('2017-11-03T03:01:00.000Z');
    expect(parseDeclaredDate('2018-04-05T06:00')).toBe('2018-04-05T06:00:00.000Z');
    expect(parseDeclaredDate('Tue, 03 Mar 2026 10:00:00 GMT')).toBe('2026-03-03T10:00:00.000Z');
    expect(parseDeclaredDate('last Tuesday')).toBeUndefined();
  });
});

describe('the site name a page declares', () => {
  it('takes og:site_name, then the JSON-LD publisher, then application-name', () => {
    const og = '<meta property="og:site_name" content="Riverside Post">';
    const ld =
      '<script type="application/ld+json">{"@type":"NewsArticle","headline":"Flood barrier opens","publisher":{"@type":"Organization","name":"Riverside Media"}}</script>';
    const app = '<meta name="application-name" content="Riverside App">';
    expect(extractArticleFromHtml(pageWith(app + ld + og)).siteName).toBe('Riverside Post');
    expect(extractArticleFromHtml(pageWith(app + ld)).siteName).toBe('Riverside Media');
    expect(extractArticleFromHtml(pageWith(app)).siteName).toBe('Riverside App');
    expect(extractArticleFromHtml(pageWith('')).siteName).toBeUndefined();
  });

  it('keeps the name and not the tagline after it', () => {
    const og = '<meta property="og:site_name" content="Riverside Post - News that matters to the valley">';
    expect(extractArticleFromHtml(pageWith(og)).siteName).toBe('Riverside Post');
  });
});
