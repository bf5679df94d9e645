import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { pageTitle } from '../../src/news/page-title.ts';

function titleOf(head: string, h1 = '', url = 'https://www.harbourgazette.example/town/ferry'): string {
  const { document } = parseHTML(
    `<!doctype html><html><head>${head}</head><body><article>${h1}<p>The harbour ferry runs again.</p></article></body></html>`,
  );
  return pageTitle(document, url);
}

describe('page titles: agreement between the claims a page makes', () => {
  it('lets twitter:title, the h1 and <title> that agree outvote a different og:title', () => {
    const head =
      '<meta property="og:title" content="Ferry back after a long winter"><meta name="twitter:title" content="The harbour ferry sails again after the storm repairs"><title>The harbour ferry sails again after the storm repairs | Harbour Gazette</title>';
    expect(titleOf(head, '<h1>The harbour ferry sails again after the storm repairs</h1>')).toBe(
      'The harbour ferry sails again after the storm repairs',
    );
  });

  it("counts Dublin Core's title as a claim, whatever case the publisher spells its name in", () => {
    expect(
      titleOf(
        '<meta name="DC.Title" content="Ferry timetable"><title>ferry-timetable-2026-v4 - Ferry timetable</title>',
      ),
    ).toBe('Ferry timetable');
    expect(
      titleOf(
        '<meta name="dcterms.title" content="Ferry timetable"><title>ferry-timetable-2026-v4 - Ferry timetable</title>',
      ),
    ).toBe('Ferry timetable');
  });

  it('takes a "Site name: " lead-in off when a real headline remains', () => {
    const head =
      '<meta property="og:site_name" content="Harbour Gazette"><meta property="og:title" content="Harbour Gazette: The ferry sails again after the storm repairs"><title>Harbour Gazette: The ferry sails again after the storm repairs</title>';
    expect(titleOf(head)).toBe('The ferry sails again after the storm repairs');
  });

  it("takes a section lead-in off when the article's own h1 leaves it off", () => {
    const head = '<title>Town news: The ferry sails again after the storm repairs | Harbour Gazette</title>';
    expect(titleOf(head, '<h1>The ferry sails again after the storm repairs</h1>')).toBe(
      'The ferry sails again after the storm repairs',
    );
  });

  it("keeps a headline's own colon when the h1 repeats the whole of it", () => {
    const head =
      '<title>Out at sea: the ferry crew on their first crossing since the storm | Harbour Gazette</title>';
    expect(titleOf(head, '<h1>Out at sea: the ferry crew on their first crossing since the storm</h1>')).toBe(
      'Out at sea: the ferry crew on their first crossing since the storm',
    );
  });

  it('counts claims that differ only in a leading article, a possessive or punctuation as one headline, shown as the earliest claim wrote it', () => {
    const head =
      '<meta property="og:title" content="Seven ferries that sailed through the storm"><meta name="twitter:title" content="The seven ferries that sailed through the storm"><title>The seven ferries that sailed through the storm | Harbour Gazette</title>';
    expect(titleOf(head, '<h1>The seven ferries that sailed through the storm</h1>')).toBe(
      'Seven ferries that sailed through the storm',
    );
    const possessive =
      '<meta property="og:title" content="How we rebuilt the harbour’s ferry - a crew story"><title>How we rebuilt the harbour ferry: a crew story - Harbour Gazette</title>';
    expect(titleOf(possessive, '<h1>How we rebuilt the harbour ferry: a crew story</h1>')).toBe(
      'How we rebuilt the harbour’s ferry - a crew story',
    );
  });

  it('still keeps two different headlines apart and lets the majority win', () => {
    const head =
      '<meta property="og:title" content="A ferry story"><meta name="twitter:title" content="The ferry timetable for the winter months"><title>The ferry timetable for the winter months | Harbour Gazette</title>';
    expect(titleOf(head)).toBe('The ferry timetable for the winter months');
  });

  it("takes the author's and the site's names off, one after the other, with no h1 to agree", () => {
    const head =
      '<meta property="og:site_name" content="Harbour Gazette"><meta name="author" content="Jo Rowan"><meta property="og:title" content="The ferry sails again after the storm repairs | Jo Rowan"><title>The ferry sails again after the storm repairs | Jo Rowan | Harbour Gazette</title>';
    expect(titleOf(head)).toBe('The ferry sails again after the storm repairs');
  });

  it('takes a blog\'s name off a post title joined with "@", after the platform\'s name', () => {
    const head =
      '<meta property="og:site_name" content="Jo\'s harbour log"><title>The ferry sails again after the storm @ Jo\'s harbour log :: Bloghost ::</title>';
    expect(titleOf(head, '', 'https://jo.bloghost.example/post/12')).toBe(
      'The ferry sails again after the storm',
    );
    // With the platform unknown, the <title>'s last part goes by convention, and then the blog's name.
    expect(titleOf(head, '', 'https://harbourlog.example/post/12')).toBe(
      'The ferry sails again after the storm',
    );
  });

  it('knows the site by the name of its search (OpenSearch), without the qualifier', () => {
    const search =
      '<link rel="search" type="application/opensearchdescription+xml" title="Harbour Wiki (en)" href="/osd.xml">';
    expect(
      titleOf(
        `${search}<title>The ferry sails again after the storm repairs - Harbour Wiki</title>`,
        '',
        'https://pages.example/ferry',
      ),
    ).toBe('The ferry sails again after the storm repairs');
    // A short headline keeps the name, unless the h1 says which part is the headline.
    expect(titleOf(`${search}<title>Ferry - Harbour Wiki</title>`, '', 'https://pages.example/ferry')).toBe(
      'Ferry - Harbour Wiki',
    );
    expect(
      titleOf(
        `${search}<title>Ferry - Harbour Wiki</title>`,
        '<h1>Ferry</h1>',
        'https://pages.example/ferry',
      ),
    ).toBe('Ferry');
  });

  it('keeps a last part that names neither the site nor the author when a claim says so', () => {
    const head =
      '<meta name="author" content="Jo Rowan"><meta property="og:title" content="The ferry sails again - a crew story"><meta name="twitter:title" content="The ferry sails again - a crew story">';
    expect(titleOf(head)).toBe('The ferry sails again - a crew story');
  });

  it('reads og:title written as a name as well as a property, past an empty one', () => {
    const head =
      '<meta property="og:title" content=""><meta name="og:title" content="The ferry sails again after the storm repairs"><title>Ferry news</title>';
    expect(titleOf(head)).toBe('The ferry sails again after the storm repairs');
  });
});
