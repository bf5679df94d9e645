import { describe, expect, it } from 'vitest';
import { createExtractiveSummarizer } from '../../src/brief/extractive-summarizer.ts';
import { extractArticleFromHtml, htmlToParagraphs } from '../../src/news/html-extract.ts';
import { prepareArticles } from '../../src/news/pipeline.ts';

// A standfirst as news sites write it: a one-line summary with no full stop, set above the body.
const STANDFIRST =
  'Researchers recorded a grey parrot copying whole phrases from its keepers after one hearing, study shows';
const OPENING =
  'Loud, clear and oddly familiar, the voice that greets visitors to the aviary at the edge of the park sounds like a keeper calling for help. But this is not a keeper at all: it is a parrot called Juno, which picked the phrase up in a single afternoon.';
const BODY = [
  'The study, published on Tuesday by a team of behavioural scientists, followed Juno and four other parrots for two years and logged every new phrase the birds produced.',
  'Juno learnt eleven phrases after hearing each of them once, the researchers said, something they had expected only from birds kept alone with one owner for many years.',
  'The team now wants to find out whether the parrots use the phrases at the right moments or simply repeat the sounds that earn them the most attention from visitors.',
];

function feedWith(description: string): string {
  const escaped = description.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title><link>https://news.example/</link>
    <item><title>Parrot copies phrases after hearing them once</title><link>https://news.example/parrot</link>
    <description>${escaped}</description></item></channel></rss>`;
}

/** The summary as a reader sees it: its sentences one after another, as every surface joins them. */
async function summaryText(paragraphs: string[]): Promise<string> {
  const summary = await createExtractiveSummarizer({ maxSentences: 3, maxChars: Infinity }).summarize({
    title: 'Parrot copies phrases after hearing them once',
    paragraphs,
  });
  return summary.sentences.join(' ');
}

describe('a standfirst and the body it stands above', () => {
  it('stay two sentences in a summary of a feed item whose standfirst has no full stop', async () => {
    const html = [STANDFIRST, OPENING, ...BODY].map((text) => `<p>${text}</p>`).join('');
    const { articles } = prepareArticles([{ kind: 'feed', body: feedWith(html), sourceName: 'Desk' }]);
    const paragraphs = articles[0]?.article.paragraphs ?? [];
    expect(paragraphs.slice(0, 2)).toEqual([STANDFIRST, OPENING]);
    const text = await summaryText(paragraphs);
    // Whichever body sentence follows it, the standfirst ends before it does.
    expect(text).toMatch(/study shows\. \p{Lu}/u);
    expect(text).not.toMatch(/study shows \p{L}/u);
  });

  it('are two paragraphs when a page writes the standfirst loose in a <div> before the body', () => {
    const page = `<html><head><title>Parrot copies phrases</title></head><body>
      <nav><a href="/">Home</a> <a href="/science">Science</a></nav>
      <article><h1>Parrot copies phrases after hearing them once</h1>
        <div class="content">${STANDFIRST}<p>${OPENING}</p>${BODY.map((t) => `<p>${t}</p>`).join('')}</div>
      </article></body></html>`;
    const article = extractArticleFromHtml(page, 'https://news.example/parrot');
    expect(article.paragraphs.slice(0, 2)).toEqual([STANDFIRST, OPENING]);
  });

  it('are two paragraphs in feed HTML built of <div>s or a blank line of <br>s', () => {
    expect(htmlToParagraphs(`<div>${STANDFIRST}</div><div>${OPENING}</div>`)).toEqual([STANDFIRST, OPENING]);
    expect(htmlToParagraphs(`${STANDFIRST}<p>${OPENING}</p>`)).toEqual([STANDFIRST, OPENING]);
    expect(htmlToParagraphs(`<p>${STANDFIRST}<br><br>${OPENING}</p>`)).toEqual([STANDFIRST, OPENING]);
  });

  it('keeps a sentence that a single <br> wraps mid-way as one paragraph', () => {
    expect(
      htmlToParagraphs('<p>The council voted on Tuesday to close<br>the old bridge to lorries.</p>'),
    ).toEqual(['The council voted on Tuesday to close the old bridge to lorries.']);
  });
});
