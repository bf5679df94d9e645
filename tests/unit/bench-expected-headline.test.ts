import { describe, expect, it } from 'vitest';
import { declaredNames, expectedHeadline } from '../bench/_expected-headline.ts';
import type { PageNames } from '../bench/_expected-headline.ts';

const named = (...names: string[]): PageNames => ({ names, hostLabels: [] });
const page = (head: string): string =>
  `<!doctype html><html><head>${head}</head><body><p>Hedges.</p></body></html>`;

// The extract bench's title measure: what it counts as "the expected headline" decides the figure.
describe("the extract bench's expected headline", () => {
  it("takes the page's own site name off either end behind a separator", () => {
    expect(expectedHeadline('How to plant a hedge | Garden Weekly', named('Garden Weekly'))).toBe(
      'How to plant a hedge',
    );
    expect(expectedHeadline('Garden Weekly - How to plant a hedge', named('Garden Weekly'))).toBe(
      'How to plant a hedge',
    );
    expect(expectedHeadline('Garden Weekly: How to plant a hedge', named('Garden Weekly'))).toBe(
      'How to plant a hedge',
    );
    expect(expectedHeadline('How to plant a hedge · garden weekly', named('Garden Weekly'))).toBe(
      'How to plant a hedge',
    );
  });

  it('takes off names one after the other, author and site alike', () => {
    expect(
      expectedHeadline('How to plant a hedge - Jo Rowan - Garden Weekly', named('Garden Weekly', 'Jo Rowan')),
    ).toBe('How to plant a hedge');
    expect(
      expectedHeadline('Hedge notes @ Jo’s garden :: Blog Host ::', named('Jo’s garden', 'Blog Host')),
    ).toBe('Hedge notes');
  });

  it('ignores a top-level domain and a qualifier in parentheses on a name', () => {
    expect(expectedHeadline('Hedge notes #12 - spring | Gardenweekly', named('Gardenweekly.com'))).toBe(
      'Hedge notes #12 - spring',
    );
    expect(expectedHeadline('Hedge - Garden Wiki', named('Garden Wiki (en)'))).toBe('Hedge');
  });

  it("counts a short segment that carries the host's main label as the site's name", () => {
    const names: PageNames = { names: [], hostLabels: ['gardenhost'] };
    expect(expectedHeadline('Hedge notes | 花園 GardenHost', names)).toBe('Hedge notes');
    expect(expectedHeadline('Why GardenHost users plant more hedges this year | Notes', names)).toBe(
      'Why GardenHost users plant more hedges this year | Notes',
    );
  });

  it('keeps the title whole when no declared name stands at an end', () => {
    expect(expectedHeadline('How to plant a hedge | Hedge Club', named('Garden Weekly'))).toBe(
      'How to plant a hedge | Hedge Club',
    );
    expect(expectedHeadline('How to plant a hedge - Garden Weekly', named())).toBe(
      'How to plant a hedge - Garden Weekly',
    );
    expect(expectedHeadline('Garden Weekly readers plant a hedge', named('Garden Weekly'))).toBe(
      'Garden Weekly readers plant a hedge',
    );
  });
});

describe('the names a page declares', () => {
  it('reads site and author names from Readability, metas, JSON-LD and the links that name the site', () => {
    const head = [
      '<meta property="og:site_name" content="Garden Weekly">',
      '<meta name="application-name" content="GW App">',
      '<meta name="author" content="Jo Rowan">',
      '<script type="application/ld+json">{"@type":"NewsArticle","publisher":{"name":"Garden Weekly Ltd"},"author":[{"name":"Sam Ash"}]}</script>',
      '<link rel="search" type="application/opensearchdescription+xml" title="Garden Wiki (en)" href="/osd.xml">',
      '<link rel="top" title="Hedge handbook" href="index.html">',
      '<link rel="canonical" href="https://www.gardenweekly.example/hedges/1">',
    ].join('');
    const names = declaredNames(page(head), { siteName: 'GW', byline: 'By Jo' });
    expect(new Set(names.names)).toEqual(
      new Set([
        'GW',
        'By Jo',
        'Garden Weekly',
        'GW App',
        'Jo Rowan',
        'Garden Weekly Ltd',
        'Sam Ash',
        'Garden Wiki (en)',
        'Hedge handbook',
      ]),
    );
    expect(names.hostLabels).toEqual(['gardenweekly']);
  });

  it('takes the host from og:url when there is no canonical link, and names nothing from a page that declares nothing', () => {
    expect(
      declaredNames(page('<meta property="og:url" content="https://jo.bloghost.example/post/1">'), {})
        .hostLabels,
    ).toEqual(['jo', 'bloghost']);
    expect(declaredNames(page('<title>Hedges</title>'), { siteName: null, byline: null })).toEqual({
      names: [],
      hostLabels: [],
    });
  });
});
