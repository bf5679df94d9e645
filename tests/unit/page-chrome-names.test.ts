import { describe, expect, it } from 'vitest';
import { createSectionClassifier } from '../../src/brief/topics/section-classifier.ts';
import { createStoryTopicTagger } from '../../src/brief/topics/story-topics.ts';
import { loadTaxonomy } from '../../src/brief/topics/taxonomy.ts';
import { prepareArticles, type RawInput } from '../../src/news/pipeline.ts';

const taxonomy = loadTaxonomy('config/topics.json');
const tagger = createStoryTopicTagger({ classifier: createSectionClassifier(taxonomy), taxonomy });

/** The names a reader is offered for a page or a text file, as Herald reads it. */
function namesOf(input: RawInput): { title: string; names: string[] } {
  const article = prepareArticles([input]).articles[0]?.article;
  if (!article) throw new Error('nothing read');
  const { entities } = tagger.tag({ title: article.title, paragraphs: article.paragraphs, sourceTopics: [] });
  return { title: article.title, names: entities };
}

const CHROME =
  /latest|news|sign|register|cookies|accept|settings|about|contact|terms|privacy|follow|most read|subscribe|home/iu;

const BODY = [
  'Harbour officials in Caldera said on Monday that the new ferry terminal would open in March, two years later than planned.',
  'The terminal, built by Ostlund Marine, will handle twice as many passengers as the old one, the port authority said.',
  'Mayor Ana Ruiz said the delay was caused by storms that flooded the site twice last winter, and NATO ships moored elsewhere.',
  'Ostlund Marine said the work was now ninety percent done and that it expected no further delays at the site.',
  'Ferry companies have asked the port to keep the old terminal open until the new one is ready for passengers.',
];

describe('page chrome written in capitals', () => {
  it('never becomes a name on a page, even where it survives into the text', () => {
    const page = `<html><head><title>Caldera ferry terminal delayed to March</title></head><body>
      <div class="top-bar"><a href="/login">SIGN IN</a> <span>LATEST NEWS</span> <a href="/join">SUBSCRIBE NOW</a></div>
      <div id="cookie-notice"><p>WE VALUE YOUR PRIVACY</p><p>We use cookies on this site. ACCEPT ALL COOKIES</p></div>
      <article><h1>Caldera ferry terminal delayed to March</h1>
        <div class="kicker">LATEST NEWS</div>
        <p>LATEST NEWS ${BODY[0]}</p>
        ${BODY.slice(1)
          .map((text) => `<p>${text}</p>`)
          .join('')}
        <p>Tap SIGN IN to save this story, or open MY ACCOUNT to change your LATEST NEWS alerts.</p>
        <p>Readers who ACCEPT ALL COOKIES see TOP STORIES first; the PRIVACY POLICY says why.</p>
      </article>
      <footer><p>ABOUT US | CONTACT US | TERMS OF USE | PRIVACY POLICY</p><p>FOLLOW US ON SOCIAL MEDIA</p></footer>
    </body></html>`;
    const { names } = namesOf({
      kind: 'html',
      body: page,
      sourceName: 'Caldera Courier',
      url: 'https://courier.example/ferry',
    });
    expect(names.filter((name) => CHROME.test(name))).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(['Caldera', 'Ostlund Marine', 'Ana Ruiz', 'NATO']));
  });

  it('never becomes a name or a headline in a page saved as text, menus and footer included', () => {
    const text = [
      'Home | World | Business | Sport | LATEST NEWS',
      'SIGN IN | REGISTER',
      'Caldera ferry terminal delayed to March',
      BODY[0],
      BODY[1],
      `LATEST NEWS ${BODY[2]}`,
      'We use cookies to give you the best experience on our site. ACCEPT ALL COOKIES | MANAGE SETTINGS',
      BODY[3],
      BODY[4],
      'ABOUT US | CONTACT US | TERMS OF USE | PRIVACY POLICY',
    ].join('\n');
    const { title, names } = namesOf({ kind: 'text', body: text, sourceName: 'saved page' });
    expect(title).toBe('Caldera ferry terminal delayed to March');
    expect(names.filter((name) => CHROME.test(name))).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(['Caldera', 'Ostlund Marine', 'Ana Ruiz', 'NATO']));
  });
});
