import { describe, expect, it } from 'vitest';
import { extractArticleFromHtml } from '../../src/news/html-extract.ts';

const sentences = [
  'The river authority opened the new flood gates on Monday after three years of construction work.',
  'Engineers said the gates can hold back a surge two metres higher than the one that flooded the town in 2019.',
  'Residents who lost their homes then gathered on the embankment to watch the first test of the system.',
  'The authority will publish the results of the test next week, along with a plan for the rest of the valley.',
  'Farmers upstream asked for the same protection, and the council promised to study their request before spring.',
  'The project cost forty million, shared between the national government and the regional budget.',
];
const paragraphs = sentences.map((text) => `<p>${text}</p>`).join('\n');

function page(body: string): string {
  return `<!doctype html><html><head><title>Flood gates open</title></head><body>
<header><nav><a href="/">Home</a> <a href="/local">Local</a> <a href="/sport">Sport</a></nav></header>
${body}
<footer><p>Copyright © 2026 Valley Post</p></footer></body></html>`;
}

describe('page chrome removal decided by text share and link density', () => {
  it('keeps an article whose wrapper carries a chrome class word', () => {
    for (const wrapper of [
      'article-body paywall',
      'content-with-sidebar',
      'l-sidebar-fixed l-article-body',
      'box article modal-enabled',
    ]) {
      const article = extractArticleFromHtml(
        page(`<div class="${wrapper}"><h1>Flood gates open</h1>${paragraphs}</div>`),
      );
      expect(article.paragraphs, wrapper).toEqual(sentences);
    }
  });

  it('keeps an article when the whole page sits inside a form', () => {
    const article = extractArticleFromHtml(
      page(`<form action="/search"><div class="main"><h1>Flood gates open</h1>${paragraphs}</div></form>`),
    );
    expect(article.paragraphs).toEqual(sentences);
  });

  it('still removes a share bar and a related list inside the article', () => {
    const html = page(`<article><h1>Flood gates open</h1>
      <div class="share-tools"><a href="https://x.test/share">Share on X</a> <a href="https://f.test/share">Facebook</a></div>
      ${paragraphs}
      <div class="related-stories"><h3>More from the valley</h3><ul><li><a href="/a">Bridge toll rises again</a></li><li><a href="/b">School reopens after storm</a></li></ul></div>
    </article>`);
    const text = extractArticleFromHtml(html).paragraphs.join('\n');
    expect(text).not.toMatch(/Share on X|Facebook|Bridge toll|School reopens/);
    const promo = page(
      `<article><h1>Flood gates open</h1>${paragraphs}<div class="promo-box"><p>Our valley app brings you flood alerts the minute they are issued.</p></div></article>`,
    );
    expect(extractArticleFromHtml(promo).paragraphs).toEqual(sentences);
    expect(text).toContain(sentences[5]);
  });

  it("keeps Readability's text when the cleaning would leave much less of it", () => {
    // Each section carries a class word that usually marks chrome and holds a quarter of the text.
    const sections = [0, 2, 4]
      .map(
        (i) =>
          `<div class="promo-section">${paragraphs
            .split('\n')
            .slice(i, i + 2)
            .join('')}</div>`,
      )
      .join('');
    const article = extractArticleFromHtml(page(`<article><h1>Flood gates open</h1>${sections}</article>`));
    expect(article.paragraphs).toEqual(sentences);
  });

  it('reads a table row as one line, so repeated cells are not taken for duplicates', () => {
    const table =
      '<table><tr><th>Pos.</th><th>Driver</th><th>Wins</th></tr><tr><td>1</td><td>Ana Lima</td><td>0</td></tr><tr><td>2</td><td>Ben Ito</td><td>0</td></tr></table>';
    const article = extractArticleFromHtml(
      page(`<article><h1>Flood gates open</h1>${paragraphs}${table}</article>`),
    );
    expect(article.paragraphs.slice(-3)).toEqual(['Pos. Driver Wins', '1 Ana Lima 0', '2 Ben Ito 0']);
  });

  it('drops a short line repeated under every section, and figure captions', () => {
    const sections = sentences.map((text) => `<p>${text}</p><p>Download Print Save</p>`).join('');
    const figure =
      '<figure><img src="/g.jpg"><figcaption>The gates at dawn. Photo: Valley Post</figcaption></figure>';
    const article = extractArticleFromHtml(
      page(`<article><h1>Flood gates open</h1>${figure}${sections}</article>`),
    );
    expect(article.paragraphs).toEqual(sentences);
  });
});
