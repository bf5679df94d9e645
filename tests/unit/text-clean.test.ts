import { describe, expect, it } from 'vitest';
import { cleanParagraphs, parseDateline } from '../../src/news/text-clean.ts';

describe('cleanParagraphs', () => {
  it('removes legal lines, pagers, source links and share/newsletter/cookie prompts', () => {
    const body = 'The council approved the budget on Tuesday after a long debate.';
    const out = cleanParagraphs([
      body,
      'Copyright © 2026 Example Publisher',
      '© 2026 Example Media. All rights reserved.',
      'Source link',
      '1 of 1,510',
      'Page 2 of 3',
      'Share this article',
      'Read more: Why the budget matters',
      'Sign up for our newsletter to get the news in your inbox.',
      'Subscribe now',
      'We use cookies to give you the best experience on our website.',
      'Advertisement',
      'By Jane Doe',
      'By Jane Doe, Reuters',
      'By Tribune staff',
    ]);
    expect(out).toEqual([body]);
  });

  it('cuts everything after a "Related Posts" heading that follows the body', () => {
    expect(cleanParagraphs(['Body text of the story here.', 'Related Posts', 'Another headline', 'And another'])).toEqual([
      'Body text of the story here.',
    ]);
  });

  it('keeps prose that merely mentions boilerplate words, and keeps unicode quotes', () => {
    const lines = [
      'By Friday, the ministry said it would subscribe to the treaty’s monitoring scheme and publish its data.',
      '“We will not share the figures yet,” the spokeswoman said.',
      'Copyright law reform has been debated in parliament for a decade without a vote.',
    ];
    expect(cleanParagraphs(lines)).toEqual(lines);
  });

  it('normalizes whitespace and drops empty and repeated lines', () => {
    expect(cleanParagraphs(['  two\u00a0 spaces\n here ', '', 'two spaces here', '\u200b'])).toEqual(['two spaces here']);
  });
});

describe('parseDateline', () => {
  it.each([
    ['MOSCOW — The Kremlin said…', 'MOSCOW', undefined, 'The Kremlin said…'],
    ['WASHINGTON (AP) — Lawmakers voted…', 'WASHINGTON', 'AP', 'Lawmakers voted…'],
    ['KYIV, Ukraine — Air raid sirens…', 'KYIV, Ukraine', undefined, 'Air raid sirens…'],
    ['LONDON, March 3 (Reuters) - Shares rose…', 'LONDON', 'Reuters', 'Shares rose…'],
    ['NEW YORK -- Stocks fell…', 'NEW YORK', undefined, 'Stocks fell…'],
  ])('splits %s', (lead, place, agency, rest) => {
    const parsed = parseDateline(lead);
    expect(parsed.place).toBe(place);
    expect(parsed.agency).toBe(agency);
    expect(parsed.rest).toBe(rest);
  });

  it('reads an agency-only lead such as "(CNN) --"', () => {
    expect(parseDateline('(CNN) -- A runner was banned.')).toEqual({ agency: 'CNN', rest: 'A runner was banned.' });
  });

  it('leaves ordinary sentences alone', () => {
    for (const text of ['The minister — who resigned — spoke.', 'A well-known figure said so.', 'I — for one — agree.']) {
      expect(parseDateline(text)).toEqual({ rest: text });
    }
  });
});
